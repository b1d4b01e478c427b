package compat.plugin;

import dbtool.spi.AbstractCheck;
import dbtool.spi.Category;
import dbtool.spi.Check;
import dbtool.spi.CheckContext;
import dbtool.spi.CheckResult;
import dbtool.spi.EngineSession;
import dbtool.spi.Finding;
import dbtool.spi.Severity;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/** One check written against Check, one against AbstractCheck; between them every result type. */
final class CompatChecks {

    private CompatChecks() {
    }

    static final class Plain implements Check {
        @Override
        public String id() {
            return "compat-connection";
        }

        @Override
        public String category() {
            return Category.CONNECTIVITY;
        }

        @Override
        public String description() {
            return "reports what the session was opened with";
        }

        @Override
        public CheckResult run(EngineSession session, CheckContext context) throws Exception {
            CompatEngine.CompatSession compat = (CompatEngine.CompatSession) session;
            Instant deadline = context.deadline();
            Duration remaining = context.remaining();
            if (remaining.isNegative() || deadline == null) {
                return CheckResult.healthy();
            }
            return CheckResult.builder()
                    .metric("budget_ms", compat.budget().toMillis())
                    .add(Finding.of("COMPAT_CONNECTED", Severity.INFO, "Connected to " + compat.where())
                            .detail("as " + compat.who() + " (" + compat.application() + ")")
                            .evidence("settings", context.settings().size())
                            .build())
                    .build();
        }
    }

    static final class Typed extends AbstractCheck<CompatEngine.CompatSession> {
        Typed() {
            super(CompatEngine.CompatSession.class, "compat-threshold", Category.RESOURCES,
                    "warns when the configured compat_limit is below 10");
        }

        @Override
        protected CheckResult check(CompatEngine.CompatSession session, CheckContext context) {
            double limit = context.number("compat_limit", 100);
            if (limit >= 10) {
                CheckResult healthy = CheckResult.healthy();
                return healthy.status() == Severity.OK ? healthy : CheckResult.builder().build();
            }
            Severity severity = Severity.WARNING.worst(Severity.INFO);
            Finding finding = Finding.of("COMPAT_LOW_LIMIT", severity, "compat_limit is " + limit)
                    .evidence(Map.of("limit", limit, "exitCode", severity.exitCode(), "rank", severity.rank()))
                    .recommendation("raise compat_limit to 10 or more")
                    .playbook("https://example.invalid/compat")
                    .build();
            CheckResult result = new CheckResult(java.util.List.of(finding), Map.of("limit", limit));
            return result.findings().isEmpty() || result.metrics().isEmpty() ? null : result;
        }
    }
}
