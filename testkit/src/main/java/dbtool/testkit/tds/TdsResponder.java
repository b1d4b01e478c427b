package dbtool.testkit.tds;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A minimal SQL Server on loopback, speaking TDS 7.x to the real jTDS driver (no SQL Server can run
 * here): PRELOGIN without encryption, SQL logins checked against the {@link TdsScenario}, and SQL
 * batches answered from its canned results. One thread per connection; {@link #close()} ends them.
 * Everything received is recorded so that tests can assert what a session sent: the logins (with
 * application name and database), every batch in order, statements cancelled by ATTENTION, and
 * whatever the scenario did not expect.
 *
 * <pre>{@code
 * try (TdsResponder server = TdsResponder.start(new TdsScenario().login("monitor", "secret")
 *         .answer(TdsScenario.mentioning("sys.dm_os_sys_info"), TdsResult.columns("version").row("15.0.4345.5")))) {
 *     String url = "jdbc:jtds:sqlserver://127.0.0.1:" + server.port() + "/master";
 *     ...
 * }
 * }</pre>
 */
public final class TdsResponder implements AutoCloseable {

    /** A SQL batch as received, with the server process id (session) of its connection. */
    public record Batch(int spid, String sql) {
    }

    private final ServerSocket server;
    private final TdsScenario scenario;
    private final List<Login7> logins = new CopyOnWriteArrayList<>();
    private final List<Batch> batches = new CopyOnWriteArrayList<>();
    private final List<String> cancelled = new CopyOnWriteArrayList<>();
    private final List<String> unexpected = new CopyOnWriteArrayList<>();
    private final List<Socket> clients = new CopyOnWriteArrayList<>();
    private final AtomicInteger nextSpid = new AtomicInteger(51); // user sessions start above the system ones
    private final Thread acceptor;

    private TdsResponder(ServerSocket server, TdsScenario scenario) {
        this.server = server;
        this.scenario = scenario;
        this.acceptor = Thread.ofPlatform().daemon().name("tds-responder-" + server.getLocalPort()).start(this::acceptLoop);
    }

    /** Listens on 127.0.0.1 on a free port. */
    public static TdsResponder start(TdsScenario scenario) {
        try {
            return new TdsResponder(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), scenario);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on loopback", e);
        }
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                client.setTcpNoDelay(true); // as SQL Server does: no Nagle wait on a reply's last packet (~40 ms per batch)
                clients.add(client);
                int spid = nextSpid.getAndIncrement();
                Thread.ofPlatform().daemon().name("tds-session-" + spid).start(new TdsConnection(client, this, scenario, spid));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    public TdsScenario scenario() {
        return scenario;
    }

    public String host() {
        return "127.0.0.1";
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Every LOGIN7 received, in order (a failed one too). */
    public List<Login7> logins() {
        return List.copyOf(logins);
    }

    /** Every SQL batch received, in order, over all connections. */
    public List<Batch> batches() {
        return List.copyOf(batches);
    }

    /** The texts of every SQL batch received, in order. */
    public List<String> sqlTexts() {
        return batches.stream().map(Batch::sql).toList();
    }

    /** Statements the client cancelled with ATTENTION while the responder delayed them. */
    public List<String> cancelled() {
        return List.copyOf(cancelled);
    }

    /** Batches no rule and no built-in answer matched, RPC requests and unknown messages. */
    public List<String> unexpected() {
        return List.copyOf(unexpected);
    }

    /**
     * Whether every client connection has been hung up within this time (the responder notices a
     * client's close when its next read ends): a test that a client does not leak connections.
     */
    public boolean awaitAllClosed(Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        while (clients.stream().anyMatch(client -> !client.isClosed())) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    /** Fails when a session sent something the scenario had no answer for. */
    public void assertOnlyExpectedTraffic() {
        if (!unexpected.isEmpty()) {
            throw new AssertionError("the TDS responder got requests it had no answer for: " + unexpected);
        }
    }

    void recordLogin(Login7 login) {
        logins.add(login);
    }

    void recordBatch(int spid, String sql) {
        batches.add(new Batch(spid, sql));
    }

    void recordCancelled(String sql) {
        cancelled.add(TdsScenario.normalize(sql));
    }

    void recordUnexpected(String what) {
        unexpected.add(what);
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            // already closed
        }
        for (Socket client : clients) {
            try {
                client.close();
            } catch (IOException e) {
                // already closed
            }
        }
        try {
            acceptor.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
