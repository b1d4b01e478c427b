package dbtool.triage;

import dbtool.core.cli.CommandContext;
import dbtool.serve.ServeCommand;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.DefaultParser;

/**
 * Not a test: bench/triage's in-process measurement (run by bench/triage/inprocess.sh). dbtool serve from
 * the build's classes with triage, a blocking chain on a throwaway PostgreSQL, loopback Slack, SMTP
 * (STARTTLS, AUTH) and PagerDuty; N alerts posted one after another, each on its own target (a new
 * incident each), each timed from the POST to its PagerDuty trigger, Slack message and mail.
 */
public final class LatencyBench {

    private LatencyBench() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        Path home = Files.createTempDirectory("dbtool-triage-bench");
        try (Chain chain = Chain.start(3); Services services = new Services(home)) {
            StringBuilder targets = new StringBuilder();
            for (int i = 0; i < n; i++) {
                targets.append(i == 0 ? "" : ", ").append("\"orders").append(i).append("\": {\"url\": \"").append(chain.cluster.url("orders"))
                        .append("\", \"tags\": [\"prod\"]}");
            }
            String triage = services.triageBlock().replace("\"groupWindow\": \"5m\"", "\"groupWindow\": \"0s\"");
            Files.writeString(home.resolve("config.json"), "{\"targets\": {" + targets + "}, \"alerts\": {\"timeout\": 5}, " + triage + "}");
            Files.writeString(home.resolve("token"), "bench-token\n");
            CommandContext context = Chain.context(home, services.environment(), new ByteArrayOutputStream(), new ByteArrayOutputStream());
            CommandLine line = new DefaultParser().parse(new ServeCommand().options(), new String[] {"--listen", "127.0.0.1:0", "--interval", "24h",
                    "--token-file", home.resolve("token").toString(), "--access-log", "off"});
            HttpClient client = HttpClient.newHttpClient();
            List<Long> pager = new ArrayList<>();
            List<Long> slack = new ArrayList<>();
            List<Long> mail = new ArrayList<>();
            try (AutoCloseable serving = AlertmanagerTriageTest.startServe(line, context)) {
                String alerts = "http://127.0.0.1:" + AlertmanagerTriageTest.port(serving) + "/alerts";
                for (int i = 0; i < n; i++) {
                    String payload = """
                            {"version": "4", "status": "firing", "receiver": "dbtool", "groupLabels": {}, "commonLabels": {}, "commonAnnotations": {},
                             "externalURL": "http://am", "truncatedAlerts": 0, "alerts": [{"status": "firing", "labels": {"alertname":
                             "PostgresqlTooManyLocksAcquired", "dbtool_target": "orders%d", "severity": "critical"}, "annotations": {},
                             "startsAt": "2026-12-07T09:00:00Z", "endsAt": "0001-01-01T00:00:00Z", "generatorURL": "", "fingerprint": "bench-%d"}]}"""
                            .formatted(i, i);
                    long start = System.nanoTime();
                    HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(alerts)).header("Authorization", "Bearer bench-token")
                            .POST(HttpRequest.BodyPublishers.ofString(payload)).build(), HttpResponse.BodyHandlers.ofString());
                    if (response.statusCode() != 202) {
                        throw new IllegalStateException("POST /alerts: " + response.statusCode() + " " + response.body());
                    }
                    long pd = -1;
                    long sl = -1;
                    long ml = -1;
                    long deadline = System.nanoTime() + 30_000_000_000L;
                    while ((pd < 0 || sl < 0 || ml < 0) && System.nanoTime() < deadline) {
                        long now = (System.nanoTime() - start) / 1_000_000;
                        if (pd < 0 && services.pagerDuty.accepted().size() > i) {
                            pd = now;
                        }
                        if (sl < 0 && services.slack.accepted().size() > i) {
                            sl = now;
                        }
                        if (ml < 0 && services.mail().size() > i) {
                            ml = now;
                        }
                        Thread.sleep(1);
                    }
                    if (pd < 0 || sl < 0 || ml < 0) {
                        throw new IllegalStateException("alert " + i + ": not every receiver was notified within 30 s");
                    }
                    pager.add(pd);
                    slack.add(sl);
                    mail.add(ml);
                }
            }
            System.out.println("| measured | first alert (ms) | median of the rest (ms) | p90 (ms) | max (ms) |");
            System.out.println("|---|---|---|---|---|");
            System.out.println(row("POST /alerts -> PagerDuty trigger received", pager));
            System.out.println(row("POST /alerts -> email received (STARTTLS, AUTH)", mail));
            System.out.println(row("POST /alerts -> Slack message received", slack));
        }
    }

    private static String row(String name, List<Long> values) {
        List<Long> rest = new ArrayList<>(values.subList(1, values.size()));
        rest.sort(null);
        return String.format(Locale.ROOT, "| %s | %d | %d | %d | %d |", name, values.getFirst(), rest.get(rest.size() / 2),
                rest.get((int) (0.9 * (rest.size() - 1))), rest.getLast());
    }
}
