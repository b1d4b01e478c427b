package dbtool.change.postgres;

import dbtool.change.migrate.SqlScript;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;

/**
 * Runs statements on the clone one by one while a second session records what each does: the
 * table locks it holds (relation, mode), whether it rewrote a table (its relfilenode changed) and
 * how long it took.
 *
 * <p>A statement that may run in a transaction is run in one that stays open until the second
 * session has read the locks it holds (locks are kept until the end of the transaction, so even a
 * statement that takes a millisecond on an empty clone is seen). One that may not (CREATE INDEX
 * CONCURRENTLY) is watched while it runs; the second session holds a snapshot open so that the
 * statement's wait for older snapshots makes it visible, then lets it go on.
 */
public final class Probe implements AutoCloseable {

    /** A table lock a statement held. */
    public record Lock(String relation, String mode) {
    }

    /** What one statement did on the clone. */
    public record Measured(List<Lock> locks, List<String> rewritten, long durationMs, String error) {
    }

    private static final String LOCKS = """
            SELECT l.relation::bigint, l.mode FROM pg_locks l
            WHERE l.pid = ? AND l.locktype = 'relation' AND l.granted AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())""";
    private static final String WAITING = "SELECT count(*) FROM pg_locks WHERE pid = ? AND NOT granted AND locktype IN ('virtualxid', 'transactionid')";
    private static final String RELATIONS = """
            SELECT c.oid::bigint, n.nspname, c.relname, c.relkind::text, c.relfilenode::bigint FROM pg_class c
            JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'""";
    private static final List<String> STRENGTH = List.of("AccessShareLock", "RowShareLock", "RowExclusiveLock", "ShareUpdateExclusiveLock",
            "ShareLock", "ShareRowExclusiveLock", "ExclusiveLock", "AccessExclusiveLock");

    private record Relation(String name, String kind, long fileNode) {
    }

    private final Connection executor;
    private final Connection monitor;
    private final int executorPid;

    public Probe(Connections clone) throws SQLException {
        this.executor = clone.write(null);
        this.monitor = clone.write(null);
        try (Statement s = executor.createStatement(); ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
            rs.next();
            this.executorPid = rs.getInt(1);
        }
    }

    public Measured run(SqlScript.Statement statement) throws SQLException {
        Map<Long, Relation> before = relations();
        Map<Long, String> seen = new LinkedHashMap<>();
        long started = System.nanoTime();
        String error = null;
        long duration;
        if (statement.transactional()) {
            executor.setAutoCommit(false);
            try (Statement s = executor.createStatement()) {
                s.execute(statement.sql());
                duration = (System.nanoTime() - started) / 1_000_000;
                readLocks(seen);
                executor.commit();
            } catch (SQLException e) {
                duration = (System.nanoTime() - started) / 1_000_000;
                error = e.getMessage();
                executor.rollback();
            } finally {
                executor.setAutoCommit(true);
            }
        } else {
            monitor.setAutoCommit(false);
            try (Statement s = monitor.createStatement()) {
                s.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ");
                s.executeQuery("SELECT 1").close(); // takes the snapshot the statement will wait for
            }
            // The statement runs on a thread of its own, not the common pool: on two cores that pool has one
            // thread, and if anything else held it the statement would never start while this loop waits for it.
            FutureTask<Long> run = new FutureTask<>(() -> {
                try (Statement s = executor.createStatement()) {
                    s.execute(statement.sql());
                    return (System.nanoTime() - started) / 1_000_000;
                }
            });
            Thread.ofPlatform().name("dbtool-probe").daemon().start(run);
            boolean released = false;
            long releaseAt = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
            while (!run.isDone()) {
                readLocks(seen);
                if (!released && (waiting() || System.nanoTime() > releaseAt)) {
                    readLocks(seen);
                    monitor.commit();
                    monitor.setAutoCommit(true);
                    released = true;
                }
                try {
                    Thread.sleep(2);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            if (!released) {
                monitor.commit();
                monitor.setAutoCommit(true);
            }
            try {
                duration = run.get();
            } catch (ExecutionException e) {
                duration = (System.nanoTime() - started) / 1_000_000;
                error = e.getCause().getMessage();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SQLException("interrupted", e);
            }
        }
        Map<Long, Relation> after = relations();
        List<Lock> locks = new ArrayList<>();
        for (var entry : seen.entrySet()) {
            Relation r = after.getOrDefault(entry.getKey(), before.get(entry.getKey()));
            if (r != null && Set.of("r", "p", "m").contains(r.kind())) {
                locks.add(new Lock(r.name(), entry.getValue()));
            }
        }
        List<String> rewritten = new ArrayList<>();
        for (var entry : before.entrySet()) {
            Relation now = after.get(entry.getKey());
            if (now != null && Set.of("r", "m").contains(now.kind()) && now.fileNode() != entry.getValue().fileNode()) {
                rewritten.add(now.name());
            }
        }
        return new Measured(locks, rewritten, duration, error);
    }

    /** The strongest of two lock modes. */
    public static String stronger(String a, String b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        return STRENGTH.indexOf(a) >= STRENGTH.indexOf(b) ? a : b;
    }

    private void readLocks(Map<Long, String> seen) throws SQLException {
        try (PreparedStatement q = monitor.prepareStatement(LOCKS)) {
            q.setInt(1, executorPid);
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    seen.merge(rs.getLong(1), rs.getString(2), Probe::stronger);
                }
            }
        }
    }

    private boolean waiting() throws SQLException {
        try (PreparedStatement q = monitor.prepareStatement(WAITING)) {
            q.setInt(1, executorPid);
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                return rs.getInt(1) > 0;
            }
        }
    }

    private Map<Long, Relation> relations() throws SQLException {
        Map<Long, Relation> relations = new HashMap<>();
        try (Statement s = monitor.createStatement(); ResultSet rs = s.executeQuery(RELATIONS)) {
            while (rs.next()) {
                String schema = rs.getString(2);
                String name = "public".equals(schema) ? rs.getString(3) : schema + "." + rs.getString(3);
                relations.put(rs.getLong(1), new Relation(name, rs.getString(4), rs.getLong(5)));
            }
        }
        return relations;
    }

    /** Bytes per second the clone rewrites a table at: a scratch table of some MB, its column type changed. */
    public double rewriteRate() throws SQLException {
        try (Statement s = executor.createStatement()) {
            s.execute("CREATE TABLE dbtool_calibration AS SELECT g::int AS id, md5(g::text) AS pad FROM generate_series(1, 100000) g");
            long size;
            try (ResultSet rs = s.executeQuery("SELECT pg_total_relation_size('dbtool_calibration')")) {
                rs.next();
                size = rs.getLong(1);
            }
            long started = System.nanoTime();
            s.execute("ALTER TABLE dbtool_calibration ALTER COLUMN id TYPE bigint");
            double seconds = Math.max(1e-3, (System.nanoTime() - started) / 1e9);
            s.execute("DROP TABLE dbtool_calibration");
            return size / seconds;
        }
    }

    @Override
    public void close() {
        for (Connection c : List.of(executor, monitor)) {
            try {
                c.close();
            } catch (SQLException e) {
                // the clone goes away anyway
            }
        }
    }

}
