package dbtool.toolkit;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The timed stages of reaching a server (DNS, TCP, TLS, login...), as the connectivity check's
 * {@code stages} evidence: one entry per stage with its name, milliseconds and result.
 *
 * <p>It also knows which stage is under way, so that when the deadline ends the check in the middle
 * of one, the report can say where it was: "TCP connected in 1 ms; the server did not answer the
 * startup message in 4 s: the server process is hung or overloaded" ({@link #progress}). Checks run
 * on one thread and the runner asks from another, hence the synchronization.
 */
public final class Stages {

    /**
     * A stage, and how to speak of it.
     *
     * @param name    its name in the evidence ({@code dns}, {@code tcp}...)
     * @param reached what it is once done, e.g. "TCP connected"
     * @param silence what did not answer when the stage does not finish, e.g. "the server did not
     *                answer the startup message"
     * @param why     the likely reason, e.g. "the server process is hung or overloaded"
     */
    public record Stage(String name, String reached, String silence, String why) {
    }

    /** Creates an empty record of stages, one per connection attempt. */
    public Stages() {
    }

    /** Resolving the host name. */
    public static final Stage DNS = new Stage("dns", "DNS resolved", "the resolver did not answer",
            "the DNS server is slow or unreachable from this host");
    /** Opening the TCP connection. */
    public static final Stage TCP = new Stage("tcp", "TCP connected", "nothing answered the TCP connection",
            "a firewall drops the packets, or the host is down");
    /** The TLS handshake. */
    public static final Stage TLS = new Stage("tls", "TLS handshake done", "the server did not finish the TLS handshake",
            "the server is overloaded, or something between speaks another protocol");
    /** The driver's login (TLS and authentication inside it), for engines that do not say more. */
    public static final Stage LOGIN = new Stage("login", "logged in", "the server did not answer the login",
            "the server process is hung or overloaded");

    private final List<Map<String, Object>> list = new ArrayList<>();
    private Stage running;
    private long runningSince;
    private String lastReached;
    private long lastMillis;

    /**
     * Marks a stage as under way.
     *
     * @param stage the stage that starts
     * @return its start ({@link System#nanoTime()}), for {@link #add}
     */
    public synchronized long begin(Stage stage) {
        running = stage;
        runningSince = System.nanoTime();
        return runningSince;
    }

    /**
     * Records a finished stage (done or failed) that began at {@code startNanos}; ends the stage
     * under way. A name other than the stage's (e.g. "authentication" for a login that failed
     * there) is recorded as given.
     *
     * @param name       the stage's name in the evidence
     * @param startNanos when it began ({@link System#nanoTime()})
     * @param result     what it came to, e.g. {@code connected} or {@code failed: ...}
     * @return the stage's milliseconds
     */
    public synchronized long add(String name, long startNanos, String result) {
        long millis = (System.nanoTime() - startNanos) / 1_000_000;
        Map<String, Object> stage = new LinkedHashMap<>();
        stage.put("stage", name);
        stage.put("ms", millis);
        stage.put("result", result);
        list.add(stage);
        if (running != null && !result.startsWith("failed")) {
            lastReached = running.reached();
            lastMillis = millis;
        }
        running = null;
        return millis;
    }

    /**
     * Marks a stage as under way when none is, without recording it when it ends ({@link #idle}):
     * for a login a check starts on first use, which the report must still be able to place.
     *
     * @param stage the stage that starts
     * @return whether it was marked (false when another stage is under way)
     */
    public synchronized boolean beginIfIdle(Stage stage) {
        if (running != null) {
            return false;
        }
        begin(stage);
        return true;
    }

    /** Ends the stage under way without recording it. */
    public synchronized void idle() {
        running = null;
    }

    /**
     * Records that the stage under way finished well (the login when none is).
     *
     * @param result what it came to, e.g. {@code authenticated as monitor}
     * @return the stage's milliseconds
     */
    public long done(String result) {
        Stage stage;
        long start;
        synchronized (this) {
            stage = running == null ? LOGIN : running;
            start = running == null ? System.nanoTime() : runningSince;
        }
        return add(stage.name(), start, result);
    }

    /**
     * Resolves a host name as the {@code dns} stage; a failure is recorded and thrown.
     *
     * @param host the host name or address
     * @return its first address
     * @throws IOException when it does not resolve
     */
    public InetAddress resolve(String host) throws IOException {
        long start = begin(DNS);
        try {
            InetAddress address = InetAddress.getAllByName(host)[0];
            add(DNS.name(), start, address.getHostAddress());
            return address;
        } catch (IOException e) {
            add(DNS.name(), start, "failed: " + e.getMessage());
            throw e;
        }
    }

    /**
     * Opens and closes a TCP connection as the {@code tcp} stage; a failure is recorded and thrown.
     *
     * @param address the resolved address
     * @param port the port
     * @param timeoutMillis how long to wait for the connection
     * @throws IOException when the connection fails or times out
     */
    public void connect(InetAddress address, int port, int timeoutMillis) throws IOException {
        open(address, port, timeoutMillis).close();
    }

    /**
     * The tcp stage, keeping the connection open for the caller (which closes it): for an engine
     * that reads the server's greeting itself before its driver logs in.
     *
     * @param address       the server's address, from {@link #resolve}
     * @param port          the server's TCP port
     * @param timeoutMillis how long the connection may take
     * @return the connected socket, without a read timeout
     * @throws IOException when the connection fails or times out; the stage records the failure
     */
    public Socket open(InetAddress address, int port, int timeoutMillis) throws IOException {
        long start = begin(TCP);
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress(address, port), timeoutMillis);
        } catch (IOException e) {
            socket.close();
            add(TCP.name(), start, "failed: " + e.getMessage());
            throw e;
        }
        add(TCP.name(), start, "connected");
        return socket;
    }

    /**
     * The stages so far, as evidence.
     *
     * @return one map per stage: {@code stage}, {@code ms}, {@code result}
     */
    public synchronized List<Map<String, Object>> list() {
        return List.copyOf(list);
    }

    /**
     * The milliseconds of the last stage recorded.
     *
     * @return the milliseconds, 0 before any stage
     */
    public synchronized long lastMillis() {
        return list.isEmpty() ? 0 : ((Number) list.getLast().get("ms")).longValue();
    }

    /**
     * All stages' milliseconds.
     *
     * @return their sum
     */
    public synchronized long totalMillis() {
        return list.stream().mapToLong(s -> ((Number) s.get("ms")).longValue()).sum();
    }

    /**
     * Where the connection is while a stage is under way: the last stage reached and the one that
     * has not answered, e.g. "TCP connected in 1 ms; the server did not answer the startup message
     * in 4 s: the server process is hung or overloaded".
     *
     * @return the sentence, or empty when no stage is under way
     */
    public synchronized Optional<String> progress() {
        if (running == null) {
            return Optional.empty();
        }
        String waited = Format.millis((System.nanoTime() - runningSince) / 1_000_000);
        return Optional.of((lastReached == null ? "" : lastReached + " in " + Format.millis(lastMillis) + "; ")
                + running.silence() + " in " + waited + ": " + running.why());
    }
}
