package dbtool.plugin.postgres.checks;

import dbtool.plugin.postgres.PostgresSession;
import dbtool.spi.CheckContext;
import dbtool.toolkit.Values;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * One read of pg_stat_activity per troubleshoot, shared by the checks that look at sessions (blocking,
 * lock waits' edges, idle in transaction, connection states, long transactions, long queries): they
 * asked the same view six times, each with its own filter. Every backend but dbtool's own is read once,
 * with every column those checks used; each check then takes its rows with the filter, order, limit and
 * columns its own statement had, so its findings are the same. The server computes pg_blocking_pids()
 * once per lock waiter instead of once per check.
 */
final class ActivitySnapshot {

    /*
     * PostgreSQL 12-17. pg_blocking_pids() only for lock waiters (see BlockingChainCheck). The exact ages
     * (float8) order the rows as the checks' ORDER BY on the timestamps did, and decide the long-query
     * threshold as "query_start <= now() - interval" did; the whole-second ages are the columns the checks
     * report. locks_held only for sessions idle in a transaction, the only ones that report it.
     */
    static final String SQL = """
            SELECT a.pid, a.backend_type, coalesce(a.datname = current_database(), false) AS in_database,
                   a.usename AS user, a.application_name AS application, a.client_addr::text AS client,
                   a.state, a.wait_event_type, a.wait_event,
                   CASE WHEN a.wait_event_type = 'Lock' THEN pg_blocking_pids(a.pid) ELSE '{}'::int[] END AS blocked_by,
                   CASE WHEN a.state LIKE 'idle in transaction%%'
                        THEN (SELECT count(*) FROM pg_locks l WHERE l.pid = a.pid AND l.granted) END AS locks_held,
                   EXTRACT(EPOCH FROM now() - a.xact_start)::bigint AS xact_seconds,
                   EXTRACT(EPOCH FROM now() - a.state_change)::bigint AS state_seconds,
                   EXTRACT(EPOCH FROM now() - a.query_start)::bigint AS query_seconds,
                   EXTRACT(EPOCH FROM now() - a.xact_start)::float8 AS xact_age,
                   EXTRACT(EPOCH FROM now() - a.state_change)::float8 AS state_age,
                   EXTRACT(EPOCH FROM now() - a.query_start)::float8 AS query_age,
                   left(regexp_replace(a.query, '\\s+', ' ', 'g'), 300) AS query, %s
            FROM pg_stat_activity a
            WHERE a.pid <> pg_backend_pid()
            """.formatted(PostgresCheck.TRACE_COMMENT);

    private final List<Map<String, Object>> rows;

    ActivitySnapshot(List<Map<String, Object>> rows) {
        this.rows = rows;
    }

    /** The run's snapshot: read by the first check that asks, the same rows for the others. */
    static ActivitySnapshot of(PostgresSession session, CheckContext context) throws SQLException {
        return session.sharedRead(context, "pg_stat_activity", s -> new ActivitySnapshot(s.queryAll(SQL, context)));
    }

    /** Every backend read, dbtool's own excepted. */
    List<Map<String, Object>> rows() {
        return rows;
    }

    /** Rows of the sessions in scope: the whole server, or the target's database only (see {@link PostgresCheck#clusterWide}). */
    List<Map<String, Object>> inScope(boolean clusterWide, Predicate<Map<String, Object>> filter) {
        return rows.stream().filter(row -> clusterWide || Values.bool(row, "in_database")).filter(filter).toList();
    }

    static boolean clientBackend(Map<String, Object> row) {
        return "client backend".equals(row.get("backend_type"));
    }

    static boolean waitsOnLock(Map<String, Object> row) {
        return "Lock".equals(row.get("wait_event_type"));
    }

    static boolean idleInTransaction(Map<String, Object> row) {
        return Values.text(row, "state").startsWith("idle in transaction");
    }

    /** Oldest first by an exact age column (the ORDER BY on its timestamp), at most {@code limit} rows. */
    static List<Map<String, Object>> oldestFirst(List<Map<String, Object>> rows, String ageColumn, int limit) {
        // The oldest timestamp is the largest age; a NULL timestamp sorts last, as ORDER BY ... ASC puts it.
        Comparator<Map<String, Object>> oldest = Comparator.comparing((Map<String, Object> row) -> age(row, ageColumn),
                Comparator.nullsLast(Comparator.reverseOrder()));
        return rows.stream().sorted(oldest)
                .limit(limit).toList();
    }

    private static Double age(Map<String, Object> row, String ageColumn) {
        return row.get(ageColumn) instanceof Number number ? number.doubleValue() : null;
    }

    /**
     * A row with the given columns, in that order: each pair names the column and the snapshot column it
     * comes from; a {@code query} column is cut to {@code queryLength} characters as {@code left()} cut it.
     */
    static Map<String, Object> project(Map<String, Object> row, int queryLength, String... columns) {
        Map<String, Object> projected = new LinkedHashMap<>();
        for (int i = 0; i < columns.length; i += 2) {
            Object value = row.get(columns[i + 1]);
            projected.put(columns[i], columns[i + 1].equals("query") ? left((String) value, queryLength) : value);
        }
        return projected;
    }

    /** SQL's left(text, n): the first n characters, counted as the server counts them (code points, not UTF-16 units). */
    static String left(String text, int characters) {
        if (text == null || text.codePointCount(0, text.length()) <= characters) {
            return text;
        }
        return text.substring(0, text.offsetByCodePoints(0, characters));
    }
}
