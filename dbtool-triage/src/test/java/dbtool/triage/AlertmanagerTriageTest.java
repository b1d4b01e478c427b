package dbtool.triage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dbtool.core.cli.CommandContext;
import dbtool.serve.ServeCommand;
import dbtool.testkit.alertmanager.LocalAlertmanager;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.Method;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.DefaultParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end with real parts: a blocking chain on a throwaway PostgreSQL, {@code dbtool serve} with
 * triage, a real Alertmanager delivering to it, and loopback Slack, SMTP (STARTTLS, AUTH) and PagerDuty.
 * An alert brings exactly one Slack message, one email and one PagerDuty trigger; its resolution after
 * the blocker ended brings one PagerDuty resolve (and one resolved message and mail).
 */
class AlertmanagerTriageTest {

    static final String TOKEN = "e2e-triage-token-4b2d";

    @TempDir
    Path home;

    @Test
    void oneAlertOneMessageOneMailOneTriggerThenOneResolve() throws Exception {
        try (Chain chain = Chain.start(3); Services services = new Services(home)) {
            chain.writeConfig(home, services.triageBlock());
            Files.writeString(home.resolve("token"), TOKEN + "\n");
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            CommandContext context = Chain.context(home, services.environment(), new ByteArrayOutputStream(), err);
            CommandLine line = new DefaultParser().parse(new ServeCommand().options(), new String[] {"--listen", "127.0.0.1:0",
                    "--interval", "1h", "--token-file", home.resolve("token").toString()});
            try (AutoCloseable serving = startServe(line, context);
                 LocalAlertmanager alertmanager = LocalAlertmanager.start("http://127.0.0.1:" + port(serving) + "/alerts", TOKEN)) {
                Map<String, String> labels = Map.of("alertname", "PostgresqlTooManyLocksAcquired", "server", "127.0.0.1:" + chain.cluster.port(),
                        "datname", "orders", "severity", "critical");
                long fired = System.nanoTime();
                alertmanager.fire(labels, Map.of("summary", "too many locks on orders"));
                await(() -> services.pagerDuty.accepted().size() >= 1 && services.slack.accepted().size() >= 1 && services.mail().size() >= 1,
                        "a trigger", err, alertmanager);
                long millis = (System.nanoTime() - fired) / 1_000_000;
                String slack = services.slack.accepted().getFirst().body();
                assertTrue(slack.contains(String.valueOf(chain.headPid)), "the head blocker " + chain.headPid + " in " + slack);
                String mail = Services.text(services.mail().getFirst());
                assertTrue(mail.contains("Head blocker(s): " + chain.headPid), "the head blocker in the mail: " + mail);
                assertEquals("trigger", services.pagerDuty.accepted().getFirst().json().getAsJsonObject().get("event_action").getAsString());

                chain.end();
                alertmanager.resolve(labels, Map.of("summary", "too many locks on orders"));
                await(() -> services.pagerDuty.accepted().size() >= 2, "a resolve", err, alertmanager);
                Thread.sleep(3_000); // Alertmanager's group interval is 1 s: anything more would have come by now
                assertEquals(2, services.pagerDuty.accepted().size(), services.pagerDuty.requests().toString());
                assertEquals("resolve", services.pagerDuty.accepted().get(1).json().getAsJsonObject().get("event_action").getAsString());
                assertEquals(services.pagerDuty.accepted().get(0).json().getAsJsonObject().get("dedup_key"),
                        services.pagerDuty.accepted().get(1).json().getAsJsonObject().get("dedup_key"));
                assertEquals(2, services.slack.accepted().size(), "one message firing, one resolved");
                assertEquals(2, services.mail().size(), "one mail firing, one resolved");
                String log = err.toString(StandardCharsets.UTF_8);
                TriageFlowTest.assertNoSecret(List.of(log, slack, mail));
                assertFalse(log.contains(TOKEN));
                // A measurement, not an assertion (DESIGN.md section 9): bench/triage reports it properly.
                System.out.println("alert posted to Alertmanager -> Slack, email and PagerDuty notified: " + millis + " ms");
            }
        }
    }

    /**
     * {@code dbtool serve} in this JVM as ServeCommand runs it, stopped by close() instead of a signal. Serving is
     * package-private in serve (no one else starts it); the tests run on the class path, where reflection reaches it.
     */
    static AutoCloseable startServe(CommandLine line, CommandContext context) throws Exception {
        Method start = Class.forName("dbtool.serve.Serving").getDeclaredMethod("start", CommandLine.class, CommandContext.class);
        start.setAccessible(true);
        return (AutoCloseable) start.invoke(null, line, context);
    }

    static int port(AutoCloseable serving) throws Exception {
        Method address = serving.getClass().getDeclaredMethod("address");
        address.setAccessible(true);
        return ((InetSocketAddress) address.invoke(serving)).getPort();
    }

    private static void await(BooleanSupplier condition, String what, ByteArrayOutputStream err, LocalAlertmanager alertmanager)
            throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(40).toNanos();
        while (System.nanoTime() < end) {
            if (condition.getAsBoolean()) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no " + what + " within 40 s; serve said:\n" + err.toString(StandardCharsets.UTF_8) + "\nAlertmanager said:\n"
                + alertmanager.log());
    }
}
