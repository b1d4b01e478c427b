package dbtool.plugin.mssql;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dbtool.core.report.CheckReport;
import dbtool.core.report.JsonReportWriter;
import dbtool.core.report.Report;
import dbtool.core.report.Style;
import dbtool.core.report.TextReportRenderer;
import dbtool.core.run.TargetUrls;
import dbtool.core.run.TroubleshootRunner;
import dbtool.spi.Credentials;
import dbtool.spi.EnginePlugin;
import dbtool.spi.Finding;
import dbtool.spi.Target;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Runs the plugin's checks against a URL the way `dbtool troubleshoot` does, for tests. */
public final class Troubleshoot {

    private Troubleshoot() {
    }

    public static Report run(String url, Map<String, String> thresholds) {
        return run(new SqlServerPlugin(), url, Credentials.none(), thresholds, Duration.ofSeconds(20));
    }

    public static Report run(EnginePlugin plugin, String url, Credentials credentials, Map<String, String> thresholds, Duration timeout) {
        Target target = target(url, Map.of());
        return new TroubleshootRunner("test").run(new TroubleshootRunner.Request(target, plugin, plugin.checks(),
                credentials, timeout, thresholds));
    }

    public static Target target(String url, Map<String, String> options) {
        // Parsed as core parses it: TargetUrls copes with host names java.net.URI rejects (underscores).
        URI uri = TargetUrls.parse(url);
        return new Target("test", uri, "sqlserver", TargetUrls.host(uri), uri.getPort(), TargetUrls.database(uri), List.of(), options);
    }

    public static Optional<Finding> finding(Report report, String code) {
        return report.checks().stream().flatMap(c -> c.findings().stream()).filter(f -> f.code().equals(code)).findFirst();
    }

    public static Finding require(Report report, String code) {
        return finding(report, code).orElseGet(() -> fail("no " + code + " in the report:\n" + describe(report)));
    }

    public static CheckReport check(Report report, String id) {
        return report.checks().stream().filter(c -> c.id().equals(id)).findFirst().orElseGet(() -> fail("no check " + id));
    }

    public static void assertNoUnknown(Report report) {
        for (CheckReport check : report.checks()) {
            assertTrue(check.error() == null, "check " + check.id() + " failed: " + check.error() + "\n" + describe(report));
        }
    }

    /** Everything a user or a script could see of the report. */
    public static String everything(Report report) {
        return JsonReportWriter.toJson(report) + new TextReportRenderer(Style.PLAIN).render(report);
    }

    public static String describe(Report report) {
        StringBuilder out = new StringBuilder("status " + report.status() + "\n");
        for (CheckReport check : report.checks()) {
            out.append(check.id()).append(' ').append(check.status()).append(check.error() == null ? "" : " " + check.error()).append('\n');
            check.findings().forEach(f -> out.append("  ").append(f.severity()).append(' ').append(f.code()).append(": ").append(f.title()).append('\n'));
        }
        return out.toString();
    }
}
