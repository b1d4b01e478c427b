package dbtool.plugin.mongo;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.fail;

import dbtool.core.report.CheckReport;
import dbtool.core.report.Report;
import dbtool.core.report.Style;
import dbtool.core.report.TextReportRenderer;
import dbtool.core.run.TroubleshootRunner;
import dbtool.spi.Check;
import dbtool.spi.Credentials;
import dbtool.spi.Finding;
import dbtool.spi.Target;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Runs the plugin's checks against a URL the way `dbtool troubleshoot` does, for tests. */
final class Troubleshoot {

    private Troubleshoot() {
    }

    static Report run(String url) {
        return run(new MongoPlugin(), url, Credentials.none(), Map.of(), Duration.ofSeconds(10));
    }

    static Report run(MongoPlugin plugin, String url, Credentials credentials, Map<String, String> thresholds, Duration timeout) {
        return run(plugin, url, credentials, thresholds, timeout, plugin.checks());
    }

    static Report run(MongoPlugin plugin, String url, Credentials credentials, Map<String, String> thresholds, Duration timeout,
                      List<Check> checks) {
        URI uri = URI.create(url);
        Target target = new Target("test", uri, plugin.id(), uri.getHost() == null ? "" : uri.getHost(), uri.getPort(), "", List.of(), Map.of());
        return new TroubleshootRunner("test").run(new TroubleshootRunner.Request(target, plugin, checks, credentials, timeout, thresholds));
    }

    static String text(Report report) {
        return new TextReportRenderer(Style.PLAIN).render(report);
    }

    static Optional<Finding> finding(Report report, String code) {
        return report.checks().stream().flatMap(c -> c.findings().stream()).filter(f -> f.code().equals(code)).findFirst();
    }

    static Finding require(Report report, String code) {
        return finding(report, code).orElseGet(() -> fail("no " + code + " in the report:\n" + describe(report)));
    }

    static CheckReport check(Report report, String id) {
        return report.checks().stream().filter(c -> c.id().equals(id)).findFirst().orElseGet(() -> fail("no check " + id));
    }

    static void assertNoUnknown(Report report) {
        for (CheckReport check : report.checks()) {
            assertNull(check.error(), "check " + check.id() + " failed\n" + describe(report));
        }
    }

    static String describe(Report report) {
        StringBuilder out = new StringBuilder("status " + report.status() + "\n");
        for (CheckReport check : report.checks()) {
            out.append(check.id()).append(' ').append(check.status()).append(check.error() == null ? "" : " " + check.error()).append('\n');
            check.findings().forEach(f -> out.append("  ").append(f.severity()).append(' ').append(f.code()).append(": ").append(f.title()).append('\n'));
        }
        return out.toString();
    }
}
