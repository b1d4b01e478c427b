package dbtool.triage;

import dbtool.core.config.Config;
import dbtool.core.config.ConfigLoader;
import dbtool.core.report.CheckReport;
import dbtool.core.report.Report;
import dbtool.core.report.TargetInfo;
import dbtool.spi.Finding;
import dbtool.spi.Severity;
import java.io.StringReader;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reports shaped like the PostgreSQL plugin's, for tests that need no server. */
final class Fixtures {

    static final int HEAD = 4242;

    private Fixtures() {
    }

    static Config config(String json) {
        return ConfigLoader.parse(Path.of("config.json"), new StringReader(json));
    }

    static CheckReport check(String id, String category, Finding... findings) {
        Severity status = Severity.OK;
        for (Finding f : findings) {
            status = status.worst(f.severity());
        }
        return new CheckReport(id, category, status, 3, null, Map.of(), List.of(findings));
    }

    static Report report(String target, CheckReport... checks) {
        return Report.of("test", new TargetInfo(target, "postgresql", "127.0.0.1", 5432, "orders"), Instant.parse("2026-12-07T10:00:00Z"), 40,
                List.of(checks));
    }

    /** An idle transaction (pid 4242) heading a blocking tree of {@code blocked} sessions that also explains long queries and a pile-up. */
    static Report incident(String target, int blocked) {
        return incident(target, blocked, Map.of());
    }

    /** {@link #incident(String, int)} with further fields on the head blocker's node (its trace context). */
    static Report incident(String target, int blocked, Map<String, Object> head) {
        List<Map<String, Object>> waiting = new ArrayList<>();
        List<Long> waitingPids = new ArrayList<>();
        for (int i = 0; i < blocked; i++) {
            waiting.add(Map.of("pid", 5000L + i, "label", "pid " + (5000 + i), "state", "active", "query", "UPDATE accounts SET ..."));
            waitingPids.add(5000L + i);
        }
        Finding chain = Finding.of("PG_BLOCKING_CHAIN", Severity.CRITICAL, blocked + " sessions blocked behind pid " + HEAD)
                .evidence("headBlockers", List.of((long) HEAD)).evidence("blockedSessions", blocked).evidence("longestWaitSeconds", 540)
                .evidence("blockingTree", List.of(headNode(head, waiting)))
                .recommendation("SELECT pg_terminate_backend(" + HEAD + ")").playbook("docs/playbooks/pg-blocking-chain.md").build();
        Finding waits = Finding.of("PG_LOCK_WAITS", Severity.WARNING, "sessions wait for locks").evidence("headBlockers", List.of((long) HEAD)).build();
        Finding idle = Finding.of("PG_IDLE_IN_TRANSACTION", Severity.CRITICAL, "pid " + HEAD + " idle in transaction for 9 min")
                .evidence("headBlockers", List.of((long) HEAD)).evidence("pids", List.of((long) HEAD))
                .recommendation("SELECT pg_terminate_backend(" + HEAD + ")").playbook("docs/playbooks/pg-idle-in-transaction.md").build();
        Finding longQueries = Finding.of("PG_LONG_QUERY", Severity.WARNING, "queries running for minutes").evidence("pids", waitingPids)
                .playbook("docs/playbooks/pg-long-query.md").build();
        Finding pileUp = Finding.of("PG_CONNECTIONS_NEAR_LIMIT", Severity.WARNING, "connections near the limit")
                .evidence("connections", 92).evidence("usableSlots", 100).build();
        Finding cache = Finding.of("PG_CACHE_HIT_RATIO", Severity.WARNING, "cache hit ratio low").build();
        return report(target, check("blocking-chain", "locks", chain), check("lock-waits", "locks", waits),
                check("idle-in-transaction", "queries", idle), check("long-queries", "queries", longQueries),
                check("connection-headroom", "connectivity", pileUp), check("cache-hit", "resources", cache));
    }

    private static Map<String, Object> headNode(Map<String, Object> extra, List<Map<String, Object>> waiting) {
        Map<String, Object> node = new LinkedHashMap<>(Map.of("pid", (long) HEAD, "label", "pid " + HEAD, "state", "idle in transaction",
                "xactSeconds", 560));
        node.putAll(extra);
        node.put("blocked", waiting);
        return node;
    }
}
