package dbtool.triage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import dbtool.core.Environment;
import dbtool.core.config.Config;
import dbtool.core.report.Report;
import dbtool.serve.store.StateStore;
import dbtool.testkit.notify.ServiceDouble;
import dbtool.triage.send.HttpSender;
import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeMessage;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One incident through every receiver, against the services' test servers: a trigger reaches Slack,
 * PagerDuty, email, GitHub and Jira once each, a repeat within the window reaches nobody, the resolution
 * reaches each once; rate limits and failures are retried, refusals are not; no secret in any line.
 */
class TriageFlowTest {

    @TempDir
    Path home;

    Services services;
    Stores.TestClock clock;
    StateStore store;
    Triage triage;
    final List<String> lines = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        services = new Services(home);
        clock = new Stores.TestClock();
        store = Stores.embedded(home, clock);
        Config config = Fixtures.config("{\"targets\": {\"orders\": {\"url\": \"postgresql://db1/orders\", \"tags\": [\"prod\", \"tickets\"]}}, "
                + services.triageBlock() + "}");
        triage = new Triage(TriageConfig.of(config).orElseThrow(), config, new IncidentBook(store), new Environment(services.environment(), home,
                "Linux", null), new HttpSender(HttpClient.newHttpClient(), 4, Duration.ofMillis(50), Duration.ofSeconds(5)), clock);
    }

    @AfterEach
    void stop() throws Exception {
        store.close();
        services.close();
    }

    List<String> observe(Report report) {
        List<String> out = triage.observe("orders", report, null);
        lines.addAll(out);
        return out;
    }

    @Test
    void theSessionsTracesAreLinkedInEveryReceiversMessage() throws Exception {
        Config config = Fixtures.config("{\"targets\": {\"orders\": {\"url\": \"postgresql://db1/orders\", \"tags\": [\"prod\", \"tickets\"]}}, "
                + "\"tracing\": {\"link\": \"https://tempo.example/trace/{traceId}\"}, " + services.triageBlock() + "}");
        Triage linking = new Triage(TriageConfig.of(config).orElseThrow(), config, new IncidentBook(store), new Environment(services.environment(),
                home, "Linux", null), new HttpSender(HttpClient.newHttpClient(), 4, Duration.ofMillis(50), Duration.ofSeconds(5)), clock);
        String trace = "4bf92f3577b34da6a3ce929d0e0e4736";
        Report report = Fixtures.incident("orders", 120, Map.of("traceId", trace, "spanId", "00f067aa0ba902b7", "service", "checkout"));
        lines.addAll(linking.observe("orders", report, null));

        String link = "https://tempo.example/trace/" + trace;
        String slack = services.slack.accepted().getFirst().body();
        assertTrue(slack.contains("<" + link + "|" + trace + "> (checkout)"), slack);
        JsonObject event = services.pagerDuty.accepted().getFirst().json().getAsJsonObject();
        assertEquals(link, event.getAsJsonArray("links").get(0).getAsJsonObject().get("href").getAsString(), event.toString());
        String issue = services.github.accepted().getFirst().json().getAsJsonObject().get("body").getAsString();
        assertTrue(issue.contains("- [" + trace + "](" + link + ") (checkout)"), issue);
        assertTrue(services.jira.accepted().getFirst().body().contains("\"href\":\"" + link + "\""), services.jira.accepted().getFirst().body());
        MimeMessage mail = services.mail().getFirst();
        String text = String.valueOf(((Multipart) mail.getContent()).getBodyPart(0).getContent());
        assertTrue(text.contains(link + " (checkout)"), text);
    }

    @Test
    void oneIncidentOneNotificationPerReceiverThenOneResolution() throws Exception {
        List<String> first = observe(Fixtures.incident("orders", 120));
        assertTrue(first.getFirst().startsWith("incident orders|PG_IDLE_IN_TRANSACTION (P1: 120 sessions blocked for 9 min on a prod target): new; "
                + "root PG_IDLE_IN_TRANSACTION explains"), first.toString());
        assertEquals(1, services.slack.accepted().size(), first.toString());
        assertEquals(1, services.pagerDuty.accepted().size());
        assertEquals(1, services.mail().size());
        assertEquals(Map.of(1, "open"), services.github.issues());
        assertEquals(Map.of("OPS-1", 0), services.jira.issues());

        JsonObject event = services.pagerDuty.accepted().getFirst().json().getAsJsonObject();
        assertEquals("trigger", event.get("event_action").getAsString());
        assertEquals("orders|PG_IDLE_IN_TRANSACTION", event.get("dedup_key").getAsString());
        assertEquals("critical", event.getAsJsonObject("payload").get("severity").getAsString());
        assertEquals("orders", event.getAsJsonObject("payload").get("source").getAsString());

        String slack = services.slack.accepted().getFirst().body();
        assertTrue(slack.contains("Head blocker:* " + Fixtures.HEAD), slack);
        assertTrue(slack.contains("pg_terminate_backend(" + Fixtures.HEAD + ")"), slack);
        assertTrue(slack.contains("https://dbtool.example/docs/playbooks/pg-idle-in-transaction.md"), slack);
        assertTrue(slack.contains("consequence: PG_BLOCKING_CHAIN"), "one message names the consequences: " + slack);

        String issue = services.github.accepted().getFirst().json().getAsJsonObject().get("body").getAsString();
        assertTrue(issue.contains("### Root cause: PG_IDLE_IN_TRANSACTION"), issue);
        assertTrue(issue.contains("**blockingTree**") && issue.contains("| pid 4242 |") && issue.contains("| pid 5010 |"), "the blocking tree as a table: " + issue);
        assertTrue(issue.contains("Playbook: https://dbtool.example/docs/playbooks/pg-blocking-chain.md"), issue);

        clock.advance(Duration.ofMinutes(20));
        List<String> repeat = observe(Fixtures.incident("orders", 120));
        assertTrue(repeat.getFirst().contains("seen again (2 occurrences), within the repeat window"), repeat.toString());
        assertEquals(1, services.slack.accepted().size(), "a repeat within the window is not notified");
        assertEquals(1, services.pagerDuty.accepted().size());

        clock.advance(Duration.ofHours(4));
        List<String> later = observe(Fixtures.incident("orders", 120));
        assertTrue(later.getFirst().contains(": repeat, notified again"), later.toString());
        assertEquals(2, services.pagerDuty.accepted().size(), "past the window: notified again under the same dedup_key");
        assertEquals(1, services.github.comments(1), "a comment on the repeat, no second issue");
        assertEquals(Map.of("OPS-1", 1), services.jira.issues(), "a comment on the repeat, no second issue");

        clock.advance(Duration.ofMinutes(5));
        List<String> healthy = observe(Fixtures.report("orders", Fixtures.check("blocking-chain", "locks")));
        assertTrue(healthy.getFirst().startsWith("incident orders|PG_IDLE_IN_TRANSACTION: resolved, notifying"), healthy.toString());
        assertEquals(3, services.slack.accepted().size());
        JsonObject resolve = services.pagerDuty.accepted().get(2).json().getAsJsonObject();
        assertEquals("resolve", resolve.get("event_action").getAsString());
        assertEquals("orders|PG_IDLE_IN_TRANSACTION", resolve.get("dedup_key").getAsString());
        assertEquals(Map.of(1, "closed"), services.github.issues(), "closed on resolve");
        assertEquals(2, services.github.comments(1));
        assertEquals(Map.of("OPS-1", 2), services.jira.issues(), "a comment on resolve");
        assertEquals(3, services.mail().size());

        observe(Fixtures.report("orders", Fixtures.check("blocking-chain", "locks")));
        assertEquals(3, services.slack.accepted().size(), "a resolution notifies once");
        assertEquals(3, services.pagerDuty.accepted().size());
        assertNoSecret(lines);
    }

    @Test
    void aRootCauseSeenMoreClearlyLaterContinuesTheSameIncident() {
        Report early = Fixtures.report("orders", Fixtures.incident("orders", 120).checks().getFirst());
        assertTrue(observe(early).getFirst().startsWith("incident orders|PG_BLOCKING_CHAIN "), lines.toString());
        clock.advance(Duration.ofMinutes(2));
        List<String> later = observe(Fixtures.incident("orders", 120));
        assertTrue(later.getFirst().startsWith("incident orders|PG_BLOCKING_CHAIN ") && later.getFirst().contains("seen again"), later.toString());
        assertEquals(1, services.slack.accepted().size(), "one incident, one message");
    }

    @Test
    void theMailIsTextAndHtmlOverStartTlsWithAuthAndNamesTheHeadBlocker() throws Exception {
        observe(Fixtures.incident("orders", 3));
        MimeMessage message = services.mail().getFirst();
        assertEquals(List.of("dbtool"), services.smtpLogins);
        assertTrue(message.getSubject().startsWith("[P1] orders: PG_IDLE_IN_TRANSACTION"), message.getSubject());
        Multipart parts = (Multipart) message.getContent();
        assertEquals(2, parts.getCount());
        assertTrue(parts.getBodyPart(0).isMimeType("text/plain"));
        assertTrue(parts.getBodyPart(1).isMimeType("text/html"));
        String text = (String) parts.getBodyPart(0).getContent();
        String html = (String) parts.getBodyPart(1).getContent();
        assertTrue(text.contains("Head blocker(s): " + Fixtures.HEAD), text);
        assertTrue(html.contains("Head blocker(s): <b>" + Fixtures.HEAD + "</b>"), html);
        assertNoSecret(List.of(text, html, String.join("\n", java.util.Collections.list(message.getAllHeaderLines()))));
    }

    @Test
    void rateLimitsAndServerErrorsAreRetriedHonouringRetryAfterRefusalsAreNot() {
        services.slack.rateLimitNext(1);
        services.slack.failNext(503);
        services.pagerDuty.failNext(500);
        services.github.rateLimitNext(1);
        long start = System.nanoTime();
        List<String> out = observe(Fixtures.incident("orders", 120));
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertEquals(3, services.slack.requests().size(), "429, 503, then delivered: " + out);
        assertEquals(1, services.slack.accepted().size());
        assertTrue(millis >= 1000, "Retry-After: 1 was honoured (" + millis + " ms)");
        assertEquals(2, services.pagerDuty.requests().size());
        assertEquals(Map.of(1, "open"), services.github.issues());
        assertTrue(out.stream().noneMatch(l -> l.contains("failed")), out.toString());

        Map<String, String> wrong = new java.util.HashMap<>(services.environment());
        wrong.put("GH_TOKEN", "ghp_wrongToken000");
        wrong.remove("JIRA_TOKEN");
        Config config = Fixtures.config("{\"targets\": {\"billing\": {\"url\": \"postgresql://db2/billing\", \"tags\": [\"prod\", \"tickets\"]}}, "
                + services.triageBlock() + "}");
        Triage refused = new Triage(TriageConfig.of(config).orElseThrow(), config, new IncidentBook(store), new Environment(wrong, home, "Linux", null),
                new HttpSender(HttpClient.newHttpClient(), 4, Duration.ofMillis(50), Duration.ofSeconds(5)), clock);
        int before = services.github.requests().size();
        List<String> failed = refused.observe("billing", Fixtures.incident("billing", 120), null);
        lines.addAll(failed);
        assertEquals(before + 1, services.github.requests().size(), "401 is not retried");
        assertTrue(failed.stream().anyMatch(l -> l.equals("  github tickets: failed: HTTP 401: {\"message\": \"Bad credentials\", "
                + "\"documentation_url\": \"https://docs.github.com/rest\"}")), failed.toString());
        assertTrue(failed.stream().anyMatch(l -> l.contains("jira jira: failed: triage.receivers.jira.token: the environment variable JIRA_TOKEN is not set")),
                failed.toString());
        assertNoSecret(lines);
        assertFalse(String.join("\n", failed).contains("ghp_wrongToken000"));
    }

    @Test
    void aSlackMessageStaysUnderFourThousandCharactersAndAPagerDutySummaryUnder1024() {
        StringBuilder longTitle = new StringBuilder();
        for (int i = 0; i < 400; i++) {
            longTitle.append("very long title ");
        }
        Report huge = Fixtures.report("orders", Fixtures.check("x", "resources", java.util.stream.IntStream.range(0, 60)
                .mapToObj(i -> dbtool.spi.Finding.of("PG_THING_" + i, dbtool.spi.Severity.CRITICAL, longTitle.toString())
                        .recommendation("SELECT " + longTitle).playbook("docs/playbooks/x" + i + ".md").build())
                .toArray(dbtool.spi.Finding[]::new)));
        observe(huge);
        ServiceDouble.Recorded message = services.slack.accepted().getFirst();
        int text = 0;
        for (var element : message.json().getAsJsonObject().getAsJsonArray("blocks")) {
            JsonObject block = element.getAsJsonObject();
            if (block.has("text")) {
                text += block.getAsJsonObject("text").get("text").getAsString().length();
            }
            if (block.has("elements")) {
                for (var item : block.getAsJsonArray("elements")) {
                    text += item.getAsJsonObject().get("text").getAsString().length();
                }
            }
        }
        assertTrue(text > 2_000 && text <= 4_000, "the blocks hold " + text + " characters");
        String summary = services.pagerDuty.accepted().getFirst().json().getAsJsonObject().getAsJsonObject("payload").get("summary").getAsString();
        assertTrue(summary.length() <= 1024, summary.length() + "");
    }

    static void assertNoSecret(List<String> texts) {
        String all = String.join("\n", texts);
        for (String secret : Services.SECRETS) {
            assertFalse(all.contains(secret), "a secret was printed: " + all);
        }
    }
}
