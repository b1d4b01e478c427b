package dbtool.testkit.mongo;

import de.bwaldvogel.mongo.MongoServer;
import java.net.InetSocketAddress;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * A MongoDB server for tests, on a free loopback port: mongo-java-server (the real wire protocol,
 * so the real driver connects, handshakes and runs commands) with a backend that also answers the
 * diagnostic commands it lacks ({@code hello}, {@code currentOp}, full {@code serverStatus},
 * {@code replSetGetStatus}...) from a {@link MongoScenario}, and keeps server parameters
 * ({@code getParameter}, {@code setParameter}) in {@link MongoParameters}.
 */
public final class FakeMongod implements AutoCloseable {

    private final ScenarioBackend backend;
    private final MongoServer server;
    private final InetSocketAddress address;
    private final boolean tls;

    private FakeMongod(MongoScenario scenario, MongoParameters parameters, PrivateKey key, X509Certificate certificate) {
        this.backend = new ScenarioBackend(scenario, parameters);
        this.server = new MongoServer(backend);
        this.tls = key != null;
        if (tls) {
            server.enableSsl(key, null, certificate);
        }
        server.bind(new InetSocketAddress("127.0.0.1", 0));
        this.address = server.getLocalAddress();
    }

    public static FakeMongod start(MongoScenario scenario) {
        return start(scenario, MongoParameters.mongod70());
    }

    /** With these server parameters (getParameter, setParameter); {@link #start(MongoScenario)} has mongod 7.0's. */
    public static FakeMongod start(MongoScenario scenario, MongoParameters parameters) {
        return new FakeMongod(scenario, parameters, null, null);
    }

    /** Requires TLS, with this server key and certificate. */
    public static FakeMongod startTls(MongoScenario scenario, PrivateKey key, X509Certificate certificate) {
        return new FakeMongod(scenario, MongoParameters.mongod70(), key, certificate);
    }

    public int port() {
        return address.getPort();
    }

    /** {@code mongodb://127.0.0.1:PORT/} (with tls=true for a TLS server). */
    public String url() {
        return "mongodb://127.0.0.1:" + port() + "/" + (tls ? "?tls=true" : "");
    }

    /** Switches what the server answers from now on. */
    public void scenario(MongoScenario scenario) {
        backend.scenario(scenario);
    }

    /** The server's parameters, as setParameter left them. */
    public MongoParameters parameters() {
        return backend.parameters();
    }

    /** Commands received so far, in order (the handshake included). */
    public List<ReceivedCommand> received() {
        return backend.received();
    }

    /** Connections currently open from clients. */
    public int openConnections() {
        return backend.openConnections();
    }

    @Override
    public void close() {
        server.shutdownNow();
    }

    /**
     * One command as the server saw it: database, name, and the arguments dbtool must send with
     * every command.
     *
     * @param maxTimeMS  the command's maxTimeMS, or null
     * @param comment    the command's comment, or null
     * @param readPreference the mode of $readPreference, or null
     */
    public record ReceivedCommand(String database, String command, Number maxTimeMS, Object comment, String readPreference) {
    }
}
