package dbtool.plugin.postgres;

import dbtool.plugin.postgres.demo.LocalCluster;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A throwaway PostgreSQL cluster for one test class, registered as a static
 * {@code @RegisterExtension} field: started (and set up with statements run in the postgres
 * database) before the class's first test, stopped and deleted after its last, even when a test
 * fails. It answers the {@link LocalCluster} calls the tests make; {@link #get()} hands out the
 * cluster itself (for an {@code Incident}).
 */
final class TestCluster implements BeforeAllCallback, AfterAllCallback {

    private final LocalCluster.Settings settings;
    private final List<String> setup;
    private LocalCluster cluster;

    TestCluster(LocalCluster.Settings settings, String... setupStatements) {
        this.settings = settings;
        this.setup = List.of(setupStatements);
    }

    /** A cluster with the default settings. */
    static TestCluster defaults(String... setupStatements) {
        return new TestCluster(LocalCluster.Settings.defaults(), setupStatements);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        cluster = LocalCluster.start(settings);
        if (!setup.isEmpty()) {
            cluster.execute("postgres", setup.toArray(String[]::new));
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (cluster != null) {
            cluster.close();
        }
    }

    LocalCluster get() {
        if (cluster == null) {
            throw new IllegalStateException("the cluster starts before the test class's first test");
        }
        return cluster;
    }

    String url(String database) {
        return get().url(database);
    }

    Connection connect(String database) throws SQLException {
        return get().connect(database);
    }

    Connection connect(String database, String user, String password, String applicationName) throws SQLException {
        return get().connect(database, user, password, applicationName);
    }

    void execute(String database, String... statements) throws SQLException {
        get().execute(database, statements);
    }

    int port() {
        return get().port();
    }

    Path dataDirectory() {
        return get().dataDirectory();
    }
}
