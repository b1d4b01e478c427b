package dbtool.triage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dbtool.core.cli.CommandContext;
import dbtool.core.cli.CommandLineInterface;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dbtool troubleshoot orders --notify} without a server, on a real blocking chain: the first run
 * notifies, a second is a repeat within the window, a run after the blocker ended resolves once;
 * {@code dbtool route test} on the saved report shows the same receivers; nothing printed holds a secret.
 */
class TroubleshootNotifyTest {

    @TempDir
    static Path home;

    static Chain chain;
    static Services services;

    record Run(int code, String out, String err) {
    }

    @BeforeAll
    static void start() throws Exception {
        chain = Chain.start(4);
        services = new Services(home);
        chain.writeConfig(home, services.triageBlock());
    }

    @AfterAll
    static void stop() throws Exception {
        if (services != null) {
            services.close();
        }
        if (chain != null) {
            chain.close();
        }
    }

    static Run run(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (CommandContext context = Chain.context(home, env, out, err)) {
            int code = CommandLineInterface.standard().execute(List.of(args), context);
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        }
    }

    @Test
    void notifyOnceRepeatQuietlyResolveOnce() throws Exception {
        Run first = run(services.environment(), "troubleshoot", "orders", "--notify", "--format", "json", "--timeout", "20");
        assertEquals(2, first.code(), first.toString());
        Files.writeString(home.resolve("report.json"), first.out());
        assertTrue(first.err().contains("dbtool: incident orders|"), first.err());
        assertTrue(first.err().contains("slack oncall-slack: message sent"), first.err());
        assertTrue(first.err().contains("pagerduty pager: trigger sent"), first.err());
        assertTrue(first.err().contains("email dba-mail: mail sent to 1 recipient(s)"), first.err());
        assertEquals(1, services.slack.accepted().size());
        assertEquals(1, services.pagerDuty.accepted().size());
        assertEquals(1, services.mail().size());
        String mail = Services.text(services.mail().getFirst());
        assertTrue(mail.contains("Head blocker(s): " + chain.headPid), mail);
        TriageFlowTest.assertNoSecret(List.of(mail));
        assertTrue(services.slack.accepted().getFirst().body().contains(String.valueOf(chain.headPid)), "head blocker in the Slack message");

        Run second = run(services.environment(), "troubleshoot", "orders", "--notify", "--timeout", "20");
        assertTrue(second.err().contains("within the repeat window"), second.err());
        assertEquals(1, services.slack.accepted().size(), "no second message");

        Run listed = run(Map.of(), "route", "incidents");
        assertTrue(listed.out().startsWith("orders|") && listed.out().contains("  open  P"), listed.toString());
        String key = listed.out().substring(0, listed.out().indexOf("  "));
        assertEquals(0, run(Map.of(), "route", "ack", key).code());
        assertTrue(run(Map.of(), "route", "incidents").out().startsWith(key + "  acknowledged  "));
        assertEquals(66, run(Map.of(), "route", "ack", "orders|NOPE").code());

        Run route = run(Map.of(), "route", "test", home.resolve("report.json").toString());
        assertEquals(0, route.code(), route.toString());
        assertTrue(route.out().contains("priority P"), route.out());
        assertTrue(route.out().contains("    pager  (triage.routes.routes[0])"), route.out());
        assertTrue(route.out().contains("    dba-mail  (triage.routes.routes[1])"), route.out());
        assertTrue(route.out().contains("    oncall-slack  (triage.routes.routes[2])"), route.out());

        chain.end();
        Run healthy = run(services.environment(), "troubleshoot", "orders", "--notify", "--timeout", "20");
        assertTrue(healthy.err().contains(": resolved, notifying"), healthy.err());
        assertEquals(2, services.pagerDuty.accepted().size());
        assertEquals("resolve", services.pagerDuty.accepted().get(1).json().getAsJsonObject().get("event_action").getAsString());
        Run again = run(services.environment(), "troubleshoot", "orders", "--notify", "--timeout", "20");
        assertEquals(2, services.pagerDuty.accepted().size(), "resolved once: " + again.err());
        TriageFlowTest.assertNoSecret(List.of(first.err(), second.err(), healthy.err(), again.err(), route.out()));
    }

    @Test
    void aSecretInClearIsRefusedWithoutPrintingIt() throws Exception {
        Path other = Files.createDirectories(home.resolve("clear"));
        Files.writeString(other.resolve("config.json"), """
                {"targets": {"orders": {"url": "postgresql://127.0.0.1:1/orders"}},
                 "triage": {"receivers": {"pager": {"type": "pagerduty", "routingKey": "R0UT1NGKEY0123456789abcdefABCDEF"}},
                            "routes": {"receiver": "pager"}}}""");
        Run run = run(Map.of("DBTOOL_CONFIG", other.resolve("config.json").toString()), "route", "test", home.resolve("none.json").toString());
        assertEquals(78, run.code(), run.toString());
        assertTrue(run.err().contains("triage.receivers.pager.routingKey: holds a secret in clear"), run.err());
        assertFalse(run.err().contains(Services.PD_KEY), run.err());
        assertEquals(1, run.err().strip().lines().count(), run.err());
    }

    @Test
    void routeTestNeedsAReportOrAPayload() throws Exception {
        Files.writeString(home.resolve("other.json"), "{\"hello\": 1}");
        Run run = run(Map.of(), "route", "test", home.resolve("other.json").toString());
        assertEquals(64, run.code(), run.toString());
        assertTrue(run.err().contains("expected a dbtool report (with \"checks\") or a webhook payload (with \"alerts\")"), run.err());
        Run payload = run(Map.of(), "route", "test", Path.of("src/test/resources/alertmanager-payload.json").toAbsolutePath().toString());
        assertEquals(0, payload.code(), payload.toString());
        assertTrue(payload.out().contains("alert PostgresqlTooManyLocksAcquired (firing)"), payload.out());
        assertTrue(payload.out().contains("priority P3"), payload.out());
    }
}
