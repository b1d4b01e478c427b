package dbtool.plugin.postgres.demo;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Real incidents staged on a {@link LocalCluster} with real sessions: blocking chains under an
 * idle-in-transaction head, long queries, connection pile-ups. Closing it ends every session.
 * Used by {@code dbtool demo} and by the tests that prove each finding.
 */
public final class Incident implements AutoCloseable {

    private final LocalCluster cluster;
    private final String database;
    private final List<Connection> connections = new ArrayList<>();
    private final ExecutorService waiting = Executors.newCachedThreadPool(r -> {
        Thread thread = new Thread(r, "dbtool-incident");
        thread.setDaemon(true);
        return thread;
    });

    public Incident(LocalCluster cluster, String database) {
        this.cluster = cluster;
        this.database = database;
    }

    /**
     * A blocking chain {@code depth} sessions deep: the head updates row 1 and goes idle in its
     * transaction; session i holds row i+1 and waits for row i. Returns the head's pid once
     * every waiter is waiting.
     */
    public int blockingChain(String table, int depth) throws SQLException, InterruptedException {
        cluster.execute(database,
                "CREATE TABLE IF NOT EXISTS " + table + " (id int PRIMARY KEY, balance int NOT NULL)",
                "INSERT INTO " + table + " SELECT g, 100 FROM generate_series(1, " + (depth + 1) + ") g ON CONFLICT DO NOTHING");
        Connection head = open("billing-api");
        int headPid = pid(head);
        head.setAutoCommit(false);
        try (Statement statement = head.createStatement()) {
            statement.executeUpdate("UPDATE " + table + " SET balance = balance - 1 WHERE id = 1");
        }
        for (int i = 1; i < depth; i++) {
            Connection waiter = open("orders-worker-" + i);
            waiter.setAutoCommit(false);
            try (Statement statement = waiter.createStatement()) {
                statement.executeUpdate("UPDATE " + table + " SET balance = balance + 1 WHERE id = " + (i + 1));
            }
            int row = i;
            waiting.submit(() -> {
                try (Statement statement = waiter.createStatement()) {
                    statement.executeUpdate("UPDATE " + table + " SET balance = balance + 1 WHERE id = " + row);
                }
                return null;
            });
        }
        awaitWaiting(depth - 1, "Lock");
        return headPid;
    }

    /** A session running {@code SELECT pg_sleep(seconds)}; returns its pid once it is running. */
    public int longQuery(String applicationName, int seconds) throws SQLException, InterruptedException {
        Connection connection = open(applicationName);
        int pid = pid(connection);
        waiting.submit(() -> {
            try (Statement statement = connection.createStatement()) {
                statement.execute("SELECT pg_sleep(" + seconds + ") /* nightly revenue report */");
            }
            return null;
        });
        awaitWaiting(1, "Timeout");
        return pid;
    }

    /**
     * The lock queue a migration builds: a long report query reads {@code table} (ACCESS SHARE), an
     * {@code ALTER TABLE} queues for ACCESS EXCLUSIVE behind it, and an application's plain
     * {@code SELECT} queues behind the {@code ALTER}: lock requests are granted in order, so the
     * waiting DDL blocks readers that would not conflict with the report. Returns the report's pid
     * (the head blocker) once both waiters wait.
     */
    public int lockQueue(String table) throws SQLException, InterruptedException {
        cluster.execute(database,
                "CREATE TABLE IF NOT EXISTS " + table + " (id int PRIMARY KEY, amount int NOT NULL)",
                "INSERT INTO " + table + " VALUES (1, 100) ON CONFLICT DO NOTHING");
        Connection report = open("monthly-report");
        int reportPid = pid(report);
        waiting.submit(() -> {
            try (Statement statement = report.createStatement()) {
                statement.execute("SELECT pg_sleep(3600), amount FROM " + table);
            }
            return null;
        });
        awaitWaiting(1, "Timeout");
        Connection migration = open("migrate");
        waiting.submit(() -> {
            try (Statement statement = migration.createStatement()) {
                statement.execute("ALTER TABLE " + table + " ADD COLUMN note text");
            }
            return null;
        });
        awaitWaiting(1, "Lock");
        Connection reader = open("invoice-api");
        waiting.submit(() -> {
            try (Statement statement = reader.createStatement()) {
                statement.executeQuery("SELECT amount FROM " + table + " WHERE id = 1").close();
            }
            return null;
        });
        awaitWaiting(2, "Lock");
        return reportPid;
    }

    /**
     * A deadlock: two transactions take the same two rows of {@code table} in opposite order, and
     * the server aborts one of them (SQLSTATE 40P01) while the other commits. The second starts
     * waiting 300 ms after the first, so with a {@code deadlock_timeout} below that the first's
     * deadlock check has already found no cycle and the second is the one aborted, on every run.
     * Returns once both transactions have ended.
     */
    public void deadlock(String table) throws Exception {
        cluster.execute(database,
                "CREATE TABLE IF NOT EXISTS " + table + " (id int PRIMARY KEY, balance int NOT NULL)",
                "INSERT INTO " + table + " VALUES (1, 100), (2, 100) ON CONFLICT DO NOTHING");
        Connection first = open("transfer-a");
        Connection second = open("transfer-b");
        first.setAutoCommit(false);
        second.setAutoCommit(false);
        try (Statement a = first.createStatement(); Statement b = second.createStatement()) {
            a.executeUpdate("UPDATE " + table + " SET balance = balance - 10 WHERE id = 1");
            b.executeUpdate("UPDATE " + table + " SET balance = balance - 20 WHERE id = 2");
            Future<?> firstDone = waiting.submit(() -> {
                a.executeUpdate("UPDATE " + table + " SET balance = balance + 10 WHERE id = 2");
                first.commit();
                return null;
            });
            awaitWaiting(1, "Lock");
            Thread.sleep(300);
            try {
                b.executeUpdate("UPDATE " + table + " SET balance = balance + 20 WHERE id = 1");
                second.commit();
            } catch (SQLException e) {
                if (!"40P01".equals(e.getSQLState())) {
                    throw e;
                }
                second.rollback();
            }
            firstDone.get(30, TimeUnit.SECONDS);
        }
    }

    /** A session that began a transaction, took a row lock and went idle. */
    public int idleInTransaction(String table, String applicationName) throws SQLException {
        cluster.execute(database,
                "CREATE TABLE IF NOT EXISTS " + table + " (id int PRIMARY KEY, note text)",
                "INSERT INTO " + table + " VALUES (1, 'x') ON CONFLICT DO NOTHING");
        Connection connection = open(applicationName);
        int pid = pid(connection);
        connection.setAutoCommit(false);
        try (Statement statement = connection.createStatement()) {
            statement.executeUpdate("UPDATE " + table + " SET note = 'y' WHERE id = 1");
        }
        return pid;
    }

    /** Idle sessions, as a connection pool that grew too far would leave. */
    public void idleConnections(String applicationName, int count) throws SQLException {
        for (int i = 0; i < count; i++) {
            open(applicationName);
        }
    }

    /** A session holding ACCESS EXCLUSIVE on a table inside an open transaction. */
    public int accessExclusive(String table) throws SQLException {
        cluster.execute(database, "CREATE TABLE IF NOT EXISTS " + table + " (id int)");
        Connection connection = open("migration");
        int pid = pid(connection);
        connection.setAutoCommit(false);
        try (Statement statement = connection.createStatement()) {
            statement.execute("LOCK TABLE " + table + " IN ACCESS EXCLUSIVE MODE");
        }
        return pid;
    }

    private Connection open(String applicationName) throws SQLException {
        Connection connection = cluster.connect(database, "postgres", null, applicationName);
        synchronized (connections) {
            connections.add(connection);
        }
        return connection;
    }

    private static int pid(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement(); var rs = statement.executeQuery("SELECT pg_backend_pid()")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /** Polls until at least {@code count} sessions wait on the given wait event type. */
    private void awaitWaiting(int count, String waitEventType) throws SQLException, InterruptedException {
        try (Connection admin = cluster.connect(database)) {
            for (int attempt = 0; attempt < 200; attempt++) {
                try (Statement statement = admin.createStatement();
                     var rs = statement.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = '"
                             + waitEventType + "' AND pid <> pg_backend_pid()")) {
                    rs.next();
                    if (rs.getInt(1) >= count) {
                        return;
                    }
                }
                Thread.sleep(25);
            }
        }
        throw new SQLException("staging failed: fewer than " + count + " sessions waiting on " + waitEventType);
    }

    @Override
    public void close() {
        waiting.shutdownNow();
        synchronized (connections) {
            for (Connection connection : connections) {
                try {
                    connection.close();
                } catch (SQLException e) {
                    // the session is gone either way
                }
            }
            connections.clear();
        }
    }
}
