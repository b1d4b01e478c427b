package dbtool.testkit.tds;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A database behind the TDS responder, for the batches its scenario does not answer: an H2 database
 * in MSSQLServer compatibility mode, so that a client such as Flyway does real work through the real
 * jTDS driver (tables created, rows written and read back, transactions committed or rolled back,
 * DDL waiting for another session's lock up to {@code SET LOCK_TIMEOUT}). Each TDS connection gets
 * a session of its own ({@link TdsBackedSession}). What only SQL Server has (SERVERPROPERTY, DB_NAME(),
 * three-part names, sp_getapplock, the sys.* catalog views a client reads) is rewritten or answered
 * there; the scenario's rules still come first.
 *
 * <pre>{@code
 * try (TdsBackingStore store = TdsBackingStore.h2("orders");
 *      TdsResponder server = TdsResponder.start(new TdsScenario().login("deploy", "secret").database("orders").backedBy(store))) {
 *     ...
 *     try (Connection h2 = store.connect()) { ... } // look inside
 * }
 * }</pre>
 */
public final class TdsBackingStore implements AutoCloseable {

    private static final AtomicInteger NEXT = new AtomicInteger();

    private final String url;
    private final String database;
    private final Connection keepAlive;
    private final Map<String, Integer> appLocks = new ConcurrentHashMap<>();
    private final List<String> failures = new CopyOnWriteArrayList<>();

    private TdsBackingStore(String url, String database, Connection keepAlive) {
        this.url = url;
        this.database = database;
        this.keepAlive = keepAlive;
    }

    /**
     * A fresh in-memory H2 database standing for the SQL Server database {@code database}: schema
     * {@code dbo} (the default, as on SQL Server), identifiers as written and compared without case.
     */
    public static TdsBackingStore h2(String database) {
        String url = "jdbc:h2:mem:tds-" + NEXT.incrementAndGet() + ";MODE=MSSQLServer;DATABASE_TO_UPPER=FALSE;CASE_INSENSITIVE_IDENTIFIERS=TRUE"
                + ";DEFAULT_LOCK_TIMEOUT=10000";
        try {
            Connection keepAlive = DriverManager.getConnection(url, "sa", "");
            try (Statement s = keepAlive.createStatement()) {
                s.execute("CREATE SCHEMA IF NOT EXISTS dbo");
                SqlServerCatalog.create(s);
                SqlServerCatalog.database(s, database);
            }
            return new TdsBackingStore(url, database, keepAlive);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot start the H2 backing store: " + e.getMessage(), e);
        }
    }

    /** A connection straight to the H2 database (schema dbo), to set up or look at what clients did. */
    public Connection connect() throws SQLException {
        Connection connection = DriverManager.getConnection(url, "sa", "");
        try (Statement s = connection.createStatement()) {
            s.execute("SET SCHEMA dbo");
        }
        return connection;
    }

    /** Batches H2 refused after the rewrites, with its message: a test's first clue when a client asks something new. */
    public List<String> failures() {
        return List.copyOf(failures);
    }

    String database() {
        return database;
    }

    void recordFailure(String what) {
        failures.add(what);
    }

    /**
     * sp_getapplock with @LockOwner = 'Session': takes the named lock for this session, waiting at most
     * {@code timeoutMillis} (negative: for ever) while another session holds it.
     */
    boolean appLock(String resource, int spid, long timeoutMillis) throws InterruptedException {
        long deadline = timeoutMillis < 0 ? Long.MAX_VALUE : System.nanoTime() + timeoutMillis * 1_000_000;
        synchronized (appLocks) {
            while (true) {
                Integer owner = appLocks.putIfAbsent(resource, spid);
                if (owner == null || owner == spid) {
                    return true;
                }
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    return false;
                }
                appLocks.wait(Math.min(left, 1000));
            }
        }
    }

    /** sp_releaseapplock, and what a session's end releases. */
    void appUnlock(String resource, int spid) {
        synchronized (appLocks) {
            if (resource == null) {
                appLocks.values().removeIf(owner -> owner == spid);
            } else {
                appLocks.remove(resource, spid);
            }
            appLocks.notifyAll();
        }
    }

    /** A session of its own for one TDS connection. */
    TdsBackedSession open(int spid, String user) {
        try {
            return new TdsBackedSession(this, connect(), spid, user);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot open an H2 session: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try (Statement s = keepAlive.createStatement()) {
            s.execute("SHUTDOWN");
        } catch (SQLException e) {
            // already gone
        }
        try {
            keepAlive.close();
        } catch (SQLException e) {
            // already closed
        }
    }
}
