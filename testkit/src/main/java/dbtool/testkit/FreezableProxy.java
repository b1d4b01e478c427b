package dbtool.testkit;

import dbtool.core.report.Report;
import dbtool.spi.Category;
import dbtool.spi.Check;
import dbtool.spi.CheckResult;
import dbtool.spi.Credentials;
import dbtool.spi.EnginePlugin;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP proxy on loopback in front of a test server, which can freeze: while frozen it accepts
 * connections and reads what clients send, but forwards nothing either way, as a server host stopped
 * with SIGSTOP does (the kernel keeps the connections; nobody answers). For the engines whose server
 * is a testkit responder in this process (SQL Server, MongoDB, Snowflake), where the process cannot be
 * stopped; a real PostgreSQL server is stopped for real.
 */
public final class FreezableProxy implements AutoCloseable {

    private final ServerSocket listener;
    private final int targetPort;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final Object lock = new Object();
    private boolean frozen;
    private volatile boolean closed;

    private FreezableProxy(int targetPort) throws IOException {
        this.targetPort = targetPort;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().name("freezable-proxy-accept").start(this::accept);
    }

    /** A proxy to {@code 127.0.0.1:targetPort}. */
    public static FreezableProxy to(int targetPort) {
        try {
            return new FreezableProxy(targetPort);
        } catch (IOException e) {
            throw new IllegalStateException("cannot listen on loopback: " + e.getMessage(), e);
        }
    }

    public int port() {
        return listener.getLocalPort();
    }

    /** From now on nothing is forwarded, in either direction, on old and new connections. */
    public void freeze() {
        synchronized (lock) {
            frozen = true;
        }
    }

    /** Forwards again, what was held first. */
    public void thaw() {
        synchronized (lock) {
            frozen = false;
            lock.notifyAll();
        }
    }

    /**
     * A check that freezes this proxy when it runs: inserted after an engine's connection check, the
     * server freezes mid-run, with the session connected and the next statement on its way.
     */
    public Check freezeCheck() {
        return CheckFixtures.probe("freeze-server", Category.CONNECTIVITY, "freezes the server behind the test proxy", (session, context) -> {
            freeze();
            return CheckResult.healthy();
        });
    }

    /** What a run that froze after its connection check did, and how long it took. */
    @SuppressWarnings("exports") // core's report package is exported to testkit and its users at compile time only
    public record FrozenRun(Report report, Duration timeout, long elapsedMillis) {

        /**
         * Fails unless the session connected before the freeze and the run still ended after its
         * deadline but within the deadline's 1 s grace (with 2 s more for a loaded 2-core machine),
         * UNKNOWN (exit 3).
         */
        public void assertEndedWithinTheGrace() {
            if (report.checks().getFirst().error() != null) {
                throw new AssertionError("did not connect before the freeze: " + report.checks().getFirst().error());
            }
            if (elapsedMillis < timeout.toMillis() || elapsedMillis >= timeout.toMillis() + 3_000) {
                throw new AssertionError("the run took " + elapsedMillis + " ms with a deadline of " + timeout.toMillis() + " ms: " + report.checks());
            }
            if (report.exitCode() != 3) {
                throw new AssertionError("exit " + report.exitCode() + ", not 3 (UNKNOWN): " + report.checks());
            }
        }
    }

    /**
     * Runs the plugin's checks against {@code url} (which must lead through this proxy), freezing the
     * proxy right after the connection check, the plugin's first.
     */
    public FrozenRun runFrozenAfterConnecting(EnginePlugin plugin, String url, Duration timeout) {
        List<Check> checks = new ArrayList<>(plugin.checks());
        if (!checks.getFirst().id().equals("connection")) {
            throw new IllegalArgumentException(plugin.id() + "'s first check is " + checks.getFirst().id() + ", not connection");
        }
        checks.add(1, freezeCheck());
        long start = System.nanoTime();
        Report report = PluginRun.run(plugin, url, Credentials.none(), Map.of(), timeout, checks);
        return new FrozenRun(report, timeout, (System.nanoTime() - start) / 1_000_000);
    }

    private void waitWhileFrozen() throws InterruptedException {
        synchronized (lock) {
            while (frozen && !closed) {
                lock.wait();
            }
        }
    }

    private void accept() {
        try {
            while (!closed) {
                Socket client = listener.accept();
                sockets.add(client);
                Thread.ofVirtual().name("freezable-proxy-connect").start(() -> connect(client));
            }
        } catch (IOException e) {
            // closed
        }
    }

    private void connect(Socket client) {
        try {
            waitWhileFrozen(); // a frozen server's kernel completes the handshake; nothing more happens
            Socket server = new Socket(InetAddress.getLoopbackAddress(), targetPort);
            sockets.add(server);
            Thread.ofVirtual().name("freezable-proxy-up").start(() -> pump(client, server));
            Thread.ofVirtual().name("freezable-proxy-down").start(() -> pump(server, client));
        } catch (IOException | InterruptedException e) {
            closeQuietly(client);
        }
    }

    private void pump(Socket from, Socket to) {
        byte[] buffer = new byte[16384];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int read;
            while ((read = in.read(buffer)) >= 0) {
                waitWhileFrozen();
                out.write(buffer, 0, read);
                out.flush();
            }
        } catch (IOException | InterruptedException e) {
            // one side closed: close the other below
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() {
        closed = true;
        thaw();
        closeQuietly(listener);
        sockets.forEach(FreezableProxy::closeQuietly);
    }

    private static void closeQuietly(ServerSocket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already closed
        }
    }
}
