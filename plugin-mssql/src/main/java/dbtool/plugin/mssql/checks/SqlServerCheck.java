package dbtool.plugin.mssql.checks;

import dbtool.plugin.mssql.SqlServerSession;
import dbtool.spi.AbstractCheck;
import dbtool.spi.CheckContext;
import dbtool.spi.CheckResult;
import dbtool.spi.Finding;
import dbtool.spi.Severity;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * What every SQL Server check shares: the session cast, the version guard, row helpers and where
 * playbooks live.
 */
abstract class SqlServerCheck extends AbstractCheck<SqlServerSession> {

    private static final String SKIPPED = "MSSQL_CHECK_SKIPPED";

    private final Support support;

    SqlServerCheck(String id, String category, String description) {
        this(id, category, description, Support.EVERYWHERE);
    }

    SqlServerCheck(String id, String category, String description, Support support) {
        super(SqlServerSession.class, id, category, description);
        this.support = support;
    }

    Support support() {
        return support;
    }

    /** The codes this check reports, and MSSQL_CHECK_SKIPPED when the version guard may skip it. */
    @Override
    public final Set<String> findingCodes() {
        Set<String> codes = new TreeSet<>(codes());
        if (support.needsServerInfo()) {
            codes.add(SKIPPED);
        }
        return codes;
    }

    /** The codes of the findings {@link #diagnose} reports; none by default. */
    Set<String> codes() {
        return Set.of();
    }

    /** The one version guard: a check that cannot read this server says so (INFO) instead of failing. */
    @Override
    protected final CheckResult check(SqlServerSession session, CheckContext context) throws Exception {
        if (support.needsServerInfo()) {
            Optional<String> reason = support.skipReason(session.server());
            if (reason.isPresent()) {
                return skipped(reason.get());
            }
        }
        return diagnose(session, context);
    }

    /** Runs the check's statements and interprets them; the guard has let it through. */
    protected abstract CheckResult diagnose(SqlServerSession session, CheckContext context) throws Exception;

    static CheckResult skipped(String reason) {
        return CheckResult.builder().add(Finding.of(SKIPPED, Severity.INFO, reason)
                .detail("The check did not run: what it reads does not exist on this server.")
                .playbook(playbook("mssql-session-info")).build()).build();
    }

    static String playbook(String page) {
        return "docs/playbooks/" + page + ".md";
    }
}
