package dbtool.core.run;

import dbtool.core.report.CheckReport;
import dbtool.core.report.Report;
import dbtool.spi.Finding;
import dbtool.spi.Severity;
import dbtool.spi.Target;
import java.util.Locale;

/**
 * The attributes of a troubleshoot's spans: the target's name, engine and address (OpenTelemetry's
 * {@code db.*} and {@code server.*} conventions), statuses and finding counts. Never a URL (it may
 * hold a password), a credential, SQL text or a finding's detail.
 */
final class RunSpans {

    static final String TROUBLESHOOT = "dbtool troubleshoot";
    static final String CHECK = "dbtool check ";

    private RunSpans() {
    }

    static void describe(TraceSpan span, Target target) {
        span.set("dbtool.target", target.name())
                .set("db.system.name", target.engine())
                .set("server.address", target.host())
                .set("db.namespace", target.database());
        if (target.port() > 0) {
            span.set("server.port", target.port());
        }
    }

    static void describe(TraceSpan span, Report report) {
        span.set("dbtool.status", lower(report.status()))
                .set("dbtool.checks", report.checks().size());
        Severity worst = null;
        int findings = 0;
        for (CheckReport check : report.checks()) {
            for (Finding finding : check.findings()) {
                findings++;
                worst = worst == null ? finding.severity() : worst.worst(finding.severity());
            }
        }
        span.set("dbtool.findings", findings).set("dbtool.findings.worst_severity", worst == null ? null : lower(worst));
    }

    static void describe(TraceSpan span, CheckReport check) {
        span.set("dbtool.check.status", lower(check.status()))
                .set("dbtool.check.duration_ms", check.durationMs())
                .set("dbtool.findings", check.findings().size());
        if (!check.findings().isEmpty()) {
            span.set("dbtool.finding.codes", String.join(",", check.findings().stream().map(Finding::code).distinct().toList()));
        }
        if (check.error() != null) {
            // Not the error's text: a deadline's reason may quote the statement the session was running.
            span.fail("the check did not finish with a result");
        }
    }

    private static String lower(Severity severity) {
        return severity.name().toLowerCase(Locale.ROOT);
    }
}
