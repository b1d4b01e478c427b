package dbtool.plugin.postgres;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dbtool.core.report.JsonReportWriter;
import dbtool.core.report.Report;
import dbtool.core.report.Style;
import dbtool.core.report.TextReportRenderer;
import dbtool.spi.Activity;
import dbtool.spi.ActiveSession;
import dbtool.spi.CheckContext;
import dbtool.spi.Credentials;
import dbtool.spi.SessionSettings;
import dbtool.spi.Target;
import dbtool.testkit.Poll;
import dbtool.testkit.Reports;
import java.net.URI;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * PostgreSQL keeps utility statements word for word: pg_stat_statements holds
 * {@code CREATE ROLE ... PASSWORD '...'} as it was typed, and pg_stat_activity shows it while it runs
 * or waits. The password never reaches a report, its text or JSON, or {@code dbtool top}'s sessions.
 */
class SecretStatementTextTest {

    static final String IN_HISTORY = "HistoryS3cret";
    static final String IN_HISTORY_DOLLAR = "DollarS3cret";
    static final String HOLDING = "HoldingS3cret";
    static final String WAITING = "WaitingS3cret";
    static final List<String> SECRETS = List.of(IN_HISTORY, IN_HISTORY_DOLLAR, HOLDING, WAITING);

    @RegisterExtension
    static final TestCluster cluster = TestCluster.defaults("CREATE DATABASE app");

    @Test
    void passwordsInStatementTextNeverComeOut() throws Exception {
        cluster.execute("app", "CREATE EXTENSION pg_stat_statements",
                "CREATE ROLE planted LOGIN PASSWORD '" + IN_HISTORY + "'",
                "ALTER ROLE planted ENCRYPTED PASSWORD $$" + IN_HISTORY_DOLLAR + "$$");
        // One session creates a role and keeps its transaction open; a second one creating the same role waits for it:
        // an idle transaction, a long query and a blocking chain, each with a password in its statement.
        try (Connection holder = cluster.connect("app", "postgres", null, "holder")) {
            holder.setAutoCommit(false);
            try (Statement statement = holder.createStatement()) {
                statement.execute("CREATE ROLE contested LOGIN\n  PASSWORD '" + HOLDING + "'");
            }
            // A thread of its own: on two cores the common pool has one thread, which a blocked task would hold.
            CompletableFuture<Void> waiting = CompletableFuture.runAsync(() -> {
                try (Connection waiter = cluster.connect("app", "postgres", null, "waiter");
                     Statement statement = waiter.createStatement()) {
                    statement.execute("CREATE ROLE contested LOGIN PASSWORD /* waits */ '" + WAITING + "'");
                } catch (Exception e) {
                    // the role exists once the holder commits; a failure here is the expected end
                }
            }, Thread.ofPlatform().daemon()::start);
            try (Connection watcher = cluster.connect("postgres")) {
                Poll.untilCount(watcher, "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'waiter' AND wait_event_type = 'Lock'",
                        n -> n == 1, Duration.ofSeconds(10), "the second CREATE ROLE did not wait");
            }

            Report report = Troubleshoot.run(cluster.url("app"), Map.of("long_query_seconds", "0", "idle_in_transaction_seconds", "0"));
            for (String code : List.of("PG_TOP_STATEMENTS", "PG_LONG_QUERY", "PG_IDLE_IN_TRANSACTION", "PG_BLOCKING_CHAIN")) {
                String evidence = Reports.require(report, code).toString();
                assertTrue(evidence.contains("PASSWORD '****'") || evidence.contains("PASSWORD /* waits */ '****'")
                        || evidence.contains("PASSWORD $$****$$"), code + " shows the statement, masked: " + evidence);
            }
            assertNoSecret("the report", report.toString());
            assertNoSecret("the text report", new TextReportRenderer(new Style(false, false)).render(report));
            assertNoSecret("the JSON report", JsonReportWriter.toJson(report));

            try (PostgresSession session = open()) {
                Activity activity = session.activity(context());
                List<String> queries = activity.sessions().stream().map(ActiveSession::query).toList();
                assertTrue(queries.stream().anyMatch(q -> q != null && q.contains("'****'")), "top sees the statements: " + queries);
                assertNoSecret("dbtool top's sessions", activity.toString());
            }
            holder.rollback();
            waiting.join();
        }
    }

    private static void assertNoSecret(String where, String text) {
        for (String secret : SECRETS) {
            assertFalse(text.contains(secret), where + " shows " + secret + ":\n" + text);
        }
    }

    private static PostgresSession open() {
        URI url = URI.create(cluster.url("app"));
        Target target = new Target("t", url, "postgresql", "127.0.0.1", url.getPort(), "app", List.of(), Map.of());
        return (PostgresSession) new PostgresPlugin().open(target, Credentials.none(), SessionSettings.defaults());
    }

    private static CheckContext context() {
        Instant deadline = Instant.now().plusSeconds(10);
        return new CheckContext() {
            @Override
            public Instant deadline() {
                return deadline;
            }

            @Override
            public Map<String, String> settings() {
                return Map.of();
            }
        };
    }
}
