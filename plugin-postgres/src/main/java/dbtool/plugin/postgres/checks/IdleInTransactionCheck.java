package dbtool.plugin.postgres.checks;

import dbtool.plugin.postgres.PostgresSession;
import dbtool.spi.Category;
import dbtool.spi.CheckContext;
import dbtool.spi.CheckResult;
import dbtool.spi.Finding;
import dbtool.spi.Severity;
import dbtool.spi.Threshold;
import dbtool.toolkit.Format;
import dbtool.toolkit.Values;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** Sessions that opened a transaction and went quiet: they hold locks and the xmin horizon. */
final class IdleInTransactionCheck extends PostgresCheck {

    static final Threshold WARNING_AGE = Threshold.number("idle_in_transaction_seconds", 60, "s",
            "report sessions idle in a transaction this long (WARNING)");

    static final Threshold CRITICAL_AGE = Threshold.number("idle_in_transaction_critical_seconds", 900, "s",
            "sessions idle in a transaction this long are CRITICAL");

    @Override
    public List<Threshold> thresholds() {
        return List.of(SESSION_SCOPE, WARNING_AGE, CRITICAL_AGE);
    }

    // PostgreSQL 12-17.
    private static final String IDLE = """
            SELECT a.pid, a.usename AS user, a.application_name AS application, a.client_addr::text AS client, a.state,
                   EXTRACT(EPOCH FROM now() - a.state_change)::bigint AS idle_seconds,
                   EXTRACT(EPOCH FROM now() - a.xact_start)::bigint AS xact_seconds,
                   (SELECT count(*) FROM pg_locks l WHERE l.pid = a.pid AND l.granted) AS locks_held,
                   EXISTS (SELECT 1 FROM pg_stat_activity w
                           WHERE w.wait_event_type = 'Lock' AND a.pid = ANY (pg_blocking_pids(w.pid))) AS blocking_others,
                   left(regexp_replace(a.query, '\\s+', ' ', 'g'), 120) AS last_query, %s
            FROM pg_stat_activity a
            WHERE a.state IN ('idle in transaction', 'idle in transaction (aborted)')
              AND a.pid <> pg_backend_pid()
              AND (? OR a.datname = current_database())
            ORDER BY a.state_change
            LIMIT 20
            """.formatted(TRACE_COMMENT);

    IdleInTransactionCheck() {
        super("idle-in-transaction", Category.LOCKS, "sessions idle inside an open transaction, holding locks and the xmin horizon");
    }

    @Override
    public Set<String> findingCodes() {
        return Set.of("PG_IDLE_IN_TRANSACTION");
    }

    @Override
    protected CheckResult check(PostgresSession session, CheckContext context) throws Exception {
        List<Map<String, Object>> rows = session.query(IDLE, context, clusterWide(session, context));
        return interpret(rows, context);
    }

    /** What the rows say, apart from the server: fixture rows in the tests take the query's place. */
    static CheckResult interpret(List<Map<String, Object>> sessionRows, CheckContext context) {
        List<Map<String, Object>> rows = withTraces(sessionRows, "last_query");
        double warning = WARNING_AGE.value(context);
        double critical = CRITICAL_AGE.value(context);
        List<Map<String, Object>> over = rows.stream().filter(r -> Values.longValue(r, "idle_seconds") >= warning).toList();
        CheckResult.Builder result = CheckResult.builder()
                .metric("idle_in_transaction", rows.size())
                .metric("longest_idle_seconds", rows.stream().mapToLong(r -> Values.longValue(r, "idle_seconds")).max().orElse(0));
        if (over.isEmpty()) {
            return result.build();
        }
        long longest = Values.longValue(over.getFirst(), "idle_seconds");
        long locks = over.stream().mapToLong(r -> Values.longValue(r, "locks_held")).sum();
        String pids = over.stream().map(r -> String.valueOf(Values.longValue(r, "pid"))).collect(Collectors.joining(", "));
        return result.add(Finding.of("PG_IDLE_IN_TRANSACTION", longest >= critical ? Severity.CRITICAL : Severity.WARNING,
                        over.size() + (over.size() == 1 ? " session has" : " sessions have") + " been idle in a transaction for up to "
                                + Format.duration(longest) + ", holding " + locks + " locks")
                .detail("An idle transaction keeps its row and table locks and holds back vacuum until it ends. "
                        + "Usually an application that forgot to commit, or a client that hung.")
                .evidence("headBlockers", over.stream().filter(r -> Values.bool(r, "blocking_others")).map(r -> Values.longValue(r, "pid")).toList())
                .evidence("pids", over.stream().map(r -> Values.longValue(r, "pid")).toList())
                .evidence("sessions", over)
                .recommendation("Ask the owning application to commit or roll back; to end them: "
                        + over.stream().map(r -> "SELECT pg_terminate_backend(" + Values.longValue(r, "pid") + ");").collect(Collectors.joining(" "))
                        + "\nPrevent it with idle_in_transaction_session_timeout (e.g. ALTER ROLE app SET idle_in_transaction_session_timeout = '5min';).")
                .playbook(playbook("pg-idle-in-transaction")).build())
                .metric("pids_over_threshold", pids)
                .build();
    }
}
