package dbtool.plugin.postgres.demo;

import java.util.Map;

/**
 * {@code dbtool demo}: a realistic incident, several findings at once: a blocking chain four
 * sessions deep under an idle-in-transaction head, a long-running report query, and connections
 * near max_connections (the Book, chapter 1).
 */
public final class PostgresDemo extends StagedDemo {

    public PostgresDemo() {
        super("incident", "a blocking chain under an idle transaction, a long query and a connection pile-up (Book, chapter 1)",
                20, Map.of("long_query_seconds", "1", "lock_wait_warning_seconds", "1", "lock_wait_critical_seconds", "30"));
    }

    @Override
    String stage(Incident incident) throws Exception {
        incident.blockingChain("accounts", 4);
        incident.longQuery("nightly-report", 3600);
        incident.idleConnections("web-pool", 10);
        return "a blocking chain under an idle transaction, a long query, a connection pile-up";
    }
}
