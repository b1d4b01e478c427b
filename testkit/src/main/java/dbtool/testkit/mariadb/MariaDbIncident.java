package dbtool.testkit.mariadb;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Real incidents staged on a {@link LocalMariaDb} with JDBC connections of their own (the test's
 * class path provides the driver): a transaction holding a row lock with sessions waiting behind
 * it, a transaction holding a metadata lock with an ALTER TABLE and a query queued behind it, and
 * a long SLEEP. {@link #close} kills every staged session (waiters before the sessions they wait
 * for, so that a queued ALTER never runs) and closes its connection.
 */
public final class MariaDbIncident implements AutoCloseable {

    private final LocalMariaDb server;
    private final String database;
    private final List<Connection> connections = new ArrayList<>();
    private final List<Long> sessions = new ArrayList<>();
    private final ExecutorService waiters = Executors.newCachedThreadPool(r -> {
        Thread thread = new Thread(r, "mariadb-incident");
        thread.setDaemon(true);
        return thread;
    });

    public MariaDbIncident(LocalMariaDb server, String database) {
        this.server = server;
        this.database = database;
    }

    /**
     * A transaction that updated a row and sits idle, and {@code waiters} sessions whose UPDATE of
     * the same row waits for it. Returns the head blocker's connection id.
     */
    public long rowLockChain(String table, int waiters) throws SQLException, InterruptedException {
        try (Connection admin = connect(); Statement statement = admin.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS " + table + " (id INT PRIMARY KEY, balance INT) ENGINE=InnoDB");
            statement.execute("REPLACE INTO " + table + " (id, balance) VALUES (1, 100), (2, 200)");
        }
        Connection head = open();
        head.setAutoCommit(false);
        try (Statement statement = head.createStatement()) {
            statement.execute("UPDATE " + table + " SET balance = balance - 1 WHERE id = 1");
        }
        long headId = id(head);
        for (int i = 0; i < waiters; i++) {
            background("UPDATE " + table + " SET balance = balance + 1 WHERE id = 1");
        }
        await("SELECT COUNT(*) FROM information_schema.INNODB_TRX WHERE trx_state = 'LOCK WAIT'", waiters);
        return headId;
    }

    /**
     * A transaction that read {@code table} and sits idle (holding its metadata lock), an ALTER TABLE
     * waiting for it, and a SELECT queued behind the ALTER. Returns {holder id, ALTER id}.
     */
    public long[] metadataLockWait(String table) throws SQLException, InterruptedException {
        try (Connection admin = connect(); Statement statement = admin.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS " + table + " (id INT PRIMARY KEY, note VARCHAR(20)) ENGINE=InnoDB");
            statement.execute("REPLACE INTO " + table + " (id, note) VALUES (1, 'a')");
        }
        Connection holder = open();
        holder.setAutoCommit(false);
        try (Statement statement = holder.createStatement(); ResultSet rs = statement.executeQuery("SELECT * FROM " + table)) {
            rs.next();
        }
        long holderId = id(holder);
        long alterId = background("ALTER TABLE " + table + " ADD COLUMN extra_" + System.nanoTime() % 100000 + " INT");
        await("SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE STATE LIKE 'Waiting for table metadata lock'", 1);
        background("SELECT COUNT(*) FROM " + table);
        await("SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE STATE LIKE 'Waiting for table metadata lock'", 2);
        return new long[] {holderId, alterId};
    }

    /** A statement that runs for {@code seconds} (SELECT SLEEP). Returns its connection id once it runs. */
    public long longQuery(int seconds) throws SQLException, InterruptedException {
        long id = background("SELECT SLEEP(" + seconds + ")");
        await("SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE ID = " + id + " AND INFO LIKE 'SELECT SLEEP%'", 1);
        return id;
    }

    /** Opens {@code count} idle connections (for connection headroom). */
    public void idleConnections(int count) throws SQLException {
        for (int i = 0; i < count; i++) {
            open();
        }
    }

    /** Runs {@code sql} on a connection of its own, on a thread of its own; returns the connection id. */
    private long background(String sql) throws SQLException {
        Connection connection = open();
        long id = id(connection);
        waiters.submit(() -> {
            try (Statement statement = connection.createStatement()) {
                statement.execute(sql);
            } catch (SQLException e) {
                // killed by close(), or a lock wait timeout: the incident is over either way
            }
            return null;
        });
        return id;
    }

    private void await(String countQuery, long atLeast) throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        try (Connection admin = connect(); Statement statement = admin.createStatement()) {
            while (System.nanoTime() < deadline) {
                try (ResultSet rs = statement.executeQuery(countQuery)) {
                    rs.next();
                    if (rs.getLong(1) >= atLeast) {
                        return;
                    }
                }
                // InnoDB refreshes its information_schema cache (INNODB_TRX, INNODB_LOCK_WAITS) only when
                // nobody read it in the last 100 ms: polling faster would keep it stale forever.
                Thread.sleep(200);
            }
        }
        throw new IllegalStateException("the staged incident did not appear within 20 s: " + countQuery + "\n" + sessions());
    }

    /** The server's sessions and their InnoDB transactions, for failure messages. */
    public String sessions() {
        StringBuilder out = new StringBuilder();
        try (Connection admin = connect(); Statement statement = admin.createStatement();
             ResultSet rs = statement.executeQuery("SELECT p.ID, p.COMMAND, p.TIME, p.STATE, LEFT(p.INFO, 80), t.trx_state"
                     + " FROM information_schema.PROCESSLIST p LEFT JOIN information_schema.INNODB_TRX t ON t.trx_mysql_thread_id = p.ID")) {
            while (rs.next()) {
                out.append(rs.getLong(1)).append(' ').append(rs.getString(2)).append(' ').append(rs.getLong(3)).append("s ")
                        .append(rs.getString(4)).append(" [").append(rs.getString(5)).append("] trx=").append(rs.getString(6)).append('\n');
            }
        } catch (SQLException e) {
            out.append("(sessions unreadable: ").append(e.getMessage()).append(')');
        }
        return out.toString();
    }

    private Connection open() throws SQLException {
        Connection connection = connect();
        connections.add(connection);
        sessions.add(id(connection));
        return connection;
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(server.jdbcUrl(database));
    }

    private static long id(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery("SELECT CONNECTION_ID()")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Override
    public void close() {
        try (Connection admin = connect(); Statement statement = admin.createStatement()) {
            for (long id : sessions.reversed()) {
                try {
                    statement.execute("KILL " + id);
                } catch (SQLException e) {
                    // already gone
                }
            }
        } catch (SQLException e) {
            // the server is gone: nothing left to end
        }
        for (Connection connection : connections) {
            try {
                connection.close();
            } catch (SQLException e) {
                // killed above
            }
        }
        waiters.shutdownNow();
    }
}
