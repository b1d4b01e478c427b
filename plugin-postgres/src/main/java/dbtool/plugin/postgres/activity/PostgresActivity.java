package dbtool.plugin.postgres.activity;

import dbtool.plugin.postgres.PostgresSession;
import dbtool.spi.Activity;
import dbtool.spi.ActiveSession;
import dbtool.spi.CheckContext;
import dbtool.toolkit.ActivityTrees;
import dbtool.toolkit.Format;
import dbtool.toolkit.Values;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code dbtool top}'s snapshot of a PostgreSQL server: two statements per refresh, one for the
 * load (pg_stat_database totals, connections, replication lag) and one for the sessions that are
 * not idle, with their blockers and locks. Checked against PostgreSQL 12 to 17.
 */
public final class PostgresActivity {

    /** Server-wide: pg_stat_activity and pg_stat_database cover every database, whichever one dbtool is connected to. */
    static final String LOAD = """
            SELECT (SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend') AS connections,
                   current_setting('max_connections')::int AS max_connections,
                   pg_is_in_recovery() AS standby,
                   CASE WHEN pg_is_in_recovery() THEN EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp())
                        ELSE (SELECT EXTRACT(EPOCH FROM max(replay_lag)) FROM pg_stat_replication) END AS lag_seconds,
                   (SELECT count(*) FROM pg_stat_replication) AS replicas,
                   s.commits, s.rollbacks, s.rows_read, s.rows_written, s.blocks_read
            FROM (SELECT sum(xact_commit) AS commits, sum(xact_rollback) AS rollbacks, sum(tup_fetched) AS rows_read,
                         sum(tup_inserted + tup_updated + tup_deleted) AS rows_written, sum(blks_read) AS blocks_read
                  FROM pg_stat_database) s
            """;

    /**
     * Sessions doing something. pg_blocking_pids only for those waiting on a lock (it is the costly
     * part); the locks of each session as lines, waiting ones first, at most 8. A relation's name
     * comes from regclass output, a catalog lookup that takes no lock on the relation.
     */
    static final String SESSIONS = """
            SELECT a.pid, a.usename AS user, a.datname AS database, a.application_name AS application,
                   host(a.client_addr) AS client, a.state,
                   (EXTRACT(EPOCH FROM now() - CASE WHEN a.state = 'active' THEN a.query_start
                                                    ELSE coalesce(a.xact_start, a.state_change) END) * 1000)::bigint AS running_ms,
                   a.wait_event_type, a.wait_event,
                   CASE WHEN a.wait_event_type = 'Lock' THEN pg_blocking_pids(a.pid) ELSE '{}'::int[] END AS blocked_by,
                   left(a.query, 8192) AS query,
                   ARRAY(SELECT l.mode || CASE WHEN l.granted THEN ' held on ' ELSE ' waited for on ' END || l.locktype
                                || coalesce(' ' || l.relation::regclass::text, '')
                         FROM pg_locks l
                         WHERE l.pid = a.pid AND l.locktype NOT IN ('virtualxid')
                         ORDER BY l.granted, l.mode LIMIT 8) AS locks
            FROM pg_stat_activity a
            WHERE a.pid <> pg_backend_pid() AND a.backend_type = 'client backend' AND a.state IS DISTINCT FROM 'idle'
            ORDER BY running_ms DESC NULLS LAST
            LIMIT 200
            """;

    private PostgresActivity() {
    }

    public static Activity read(PostgresSession session, CheckContext context) throws SQLException {
        Map<String, Object> load = session.queryOne(LOAD, context);
        // When the counters were read: after the answer, so that a first refresh's login is not counted as time between samples.
        Instant at = Instant.now();
        List<Map<String, Object>> rows = session.query(SESSIONS, context);
        return interpret(at, load, rows);
    }

    /** The two result sets as a snapshot; separate from the reading so that fixtures can test it. */
    public static Activity interpret(Instant at, Map<String, Object> load, List<Map<String, Object>> rows) {
        Map<String, String> figures = new LinkedHashMap<>();
        figures.put("connections", Values.longValue(load, "connections") + " of " + Values.longValue(load, "max_connections"));
        Object lag = Values.get(load, "lag_seconds");
        boolean standby = Values.bool(load, "standby");
        if (standby) {
            figures.put("replay lag", lag == null ? "no transaction replayed yet" : Format.duration(Math.round(Values.doubleValue(load, "lag_seconds"))));
        } else if (Values.longValue(load, "replicas") > 0) {
            figures.put("replication lag", Format.duration(Math.round(Values.doubleValue(load, "lag_seconds")))
                    + " (" + Values.longValue(load, "replicas") + " standbys)");
        }
        Map<String, Double> counters = new LinkedHashMap<>();
        for (String counter : List.of("commits", "rollbacks", "rows_read", "rows_written", "blocks_read")) {
            counters.put(counter.replace('_', ' '), Values.doubleValue(load, counter));
        }
        List<ActiveSession> sessions = new ArrayList<>();
        for (Map<String, Object> row : rows) {
            String pid = Values.text(row, "pid");
            List<String> blockedBy = Values.longs(row, "blocked_by").stream().map(String::valueOf).toList();
            Object running = Values.get(row, "running_ms");
            List<String> locks = Values.get(row, "locks") instanceof List<?> list ? list.stream().map(String::valueOf).toList() : List.of();
            sessions.add(new ActiveSession(pid, nullIfEmpty(row, "user"), nullIfEmpty(row, "database"),
                    nullIfEmpty(row, "application"), nullIfEmpty(row, "client"), nullIfEmpty(row, "state"),
                    running == null ? null : Duration.ofMillis(Values.longValue(row, "running_ms")),
                    nullIfEmpty(row, "wait_event_type"), nullIfEmpty(row, "wait_event"), blockedBy, 0,
                    null, null, nullIfEmpty(row, "query"), locks,
                    "SELECT pg_cancel_backend(" + pid + ")", "SELECT pg_terminate_backend(" + pid + ")"));
        }
        return new Activity(at, 2, figures, counters, ActivityTrees.fold(sessions));
    }

    private static String nullIfEmpty(Map<String, Object> row, String column) {
        String text = Values.text(row, column);
        return text.isEmpty() ? null : text;
    }
}
