package dbtool.plugin.mariadb.checks;

import static dbtool.toolkit.Format.duration;

import dbtool.plugin.mariadb.MariaDbSession;
import dbtool.spi.Category;
import dbtool.spi.CheckContext;
import dbtool.spi.CheckResult;
import dbtool.spi.Finding;
import dbtool.spi.Severity;
import dbtool.spi.Threshold;
import dbtool.toolkit.Format;
import dbtool.toolkit.Values;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** Statements running longer than a threshold, from the processlist, with their state. */
final class LongQueriesCheck extends MariaDbCheck {

    @Override
    public List<Threshold> thresholds() {
        return List.of(MariaDbThresholds.LONG_QUERY, MariaDbThresholds.LONG_QUERY_CRITICAL);
    }

    // MariaDB 10.5-11.4, MySQL 8.0-8.4. Replication and scheduler threads are not client statements.
    static final String RUNNING = """
            SELECT ID AS id, USER AS user, HOST AS host, DB AS db, COMMAND AS command, TIME AS seconds, STATE AS state,
                   LEFT(INFO, 300) AS query
            FROM information_schema.PROCESSLIST
            WHERE COMMAND IN ('Query', 'Execute') AND INFO IS NOT NULL AND ID <> CONNECTION_ID()
              AND USER NOT IN ('system user', 'event_scheduler') AND TIME >= ?
            ORDER BY TIME DESC
            LIMIT 20
            """;

    LongQueriesCheck() {
        super("long-queries", Category.QUERIES, "statements running longer than long_query_seconds, with their state");
    }

    @Override
    public Set<String> findingCodes() {
        return Set.of("MARIADB_LONG_QUERY");
    }

    @Override
    protected CheckResult check(MariaDbSession session, CheckContext context) throws Exception {
        double warning = MariaDbThresholds.LONG_QUERY.value(context);
        double critical = MariaDbThresholds.LONG_QUERY_CRITICAL.value(context);
        return interpret(session.query(RUNNING, context, (long) Math.ceil(warning)), warning, critical).build();
    }

    static CheckResult.Builder interpret(List<Map<String, Object>> rows, double warning, double critical) {
        CheckResult.Builder result = CheckResult.builder().metric("long_queries", rows.size());
        if (rows.isEmpty()) {
            return result.metric("longest_query_seconds", 0);
        }
        long longest = Values.longValue(rows.getFirst(), "seconds");
        result.metric("longest_query_seconds", longest);
        List<Map<String, Object>> queries = rows.stream().map(row -> {
            Map<String, Object> query = new LinkedHashMap<>();
            query.put("id", Values.longValue(row, "id"));
            query.put("user", Format.printable(row.get("user"), 80));
            query.put("host", Format.printable(row.get("host"), 80));
            query.put("db", Format.printable(row.get("db"), 80));
            query.put("seconds", Values.longValue(row, "seconds"));
            query.put("state", Format.printable(row.get("state"), 80));
            query.put("query", Format.printable(row.get("query"), 300));
            return query;
        }).toList();
        Map<String, Object> first = queries.getFirst();
        boolean lockVictims = queries.stream().anyMatch(q -> q.get("state").toString().toLowerCase(Locale.ROOT).contains("lock"));
        return result.add(Finding.of("MARIADB_LONG_QUERY", longest >= critical ? Severity.CRITICAL : Severity.WARNING,
                        rows.size() + (rows.size() == 1 ? " statement has" : " statements have") + " run longer than " + duration((long) warning)
                                + "; the longest for " + duration(longest) + " (session " + first.get("id") + ", " + first.get("user") + ")")
                .detail("Long statements hold their locks and compete for CPU, I/O and the buffer pool."
                        + (lockVictims ? " Some wait for locks: see the blocking and metadata-locks checks for who holds them." : ""))
                .evidence("ids", queries.stream().map(q -> q.get("id")).toList())
                .evidence("queries", queries)
                .recommendation("If a statement should not run this long, stop it (its transaction's changes roll back, which can take"
                        + " as long again): " + queries.stream().limit(5).map(q -> "KILL QUERY " + q.get("id") + ";")
                        .collect(Collectors.joining(" "))
                        + "\nSee its plan with EXPLAIN (or ANALYZE FORMAT=JSON on a copy) before it runs again; bound it with"
                        + " max_statement_time (MariaDB) or max_execution_time (MySQL, SELECT only).")
                .playbook(playbook("mariadb-long-query")).build());
    }
}
