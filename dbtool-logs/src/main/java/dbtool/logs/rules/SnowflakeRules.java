package dbtool.logs.rules;

import dbtool.logs.read.LogEntry;
import dbtool.spi.Finding;
import dbtool.spi.Severity;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Snowflake's causes, from its plugin's events: failed logins (LOGIN_HISTORY) and failed queries
 * (QUERY_HISTORY) with their error codes. Codes checked against Snowflake's documentation and
 * reported messages (2026-12): 390100 wrong user or password, 390144 bad key-pair JWT, 390422 IP
 * not allowed by a network policy, 000630 statement or warehouse timeout, 000625 lock wait timeout.
 */
final class SnowflakeRules implements LogRules {

    private final Cause logins = new Cause("SF_LOG_LOGIN_FAILURES", Severity.WARNING);
    private final Cause timeouts = new Cause("SF_LOG_STATEMENT_TIMEOUTS", Severity.WARNING);
    private final Cause lockWaits = new Cause("SF_LOG_LOCK_TIMEOUTS", Severity.WARNING);
    private final Cause failed = new Cause("SF_LOG_FAILED_QUERIES", Severity.INFO);

    @Override
    public boolean benign(LogEntry entry) {
        return false; // only failures are read: none is routine
    }

    @Override
    public void accept(LogEntry e) {
        String code = e.code() == null ? "" : e.code();
        String m = e.message();
        if ("login".equals(e.field("event"))) {
            logins.seen(e);
            logins.count("byUser", e.field("user"));
            logins.count("byHost", e.field("host"));
            logins.count("byErrorCode", code);
            return;
        }
        if (code.equals("000630") || m.contains("reached its statement or warehouse timeout")) {
            timeouts.seen(e);
            timeouts.count("byWarehouse", e.field("warehouse"));
            timeouts.count("byUser", e.field("user"));
        } else if (code.equals("000625") || m.contains("lock wait timeout") || m.contains("has locked table")) {
            lockWaits.seen(e);
            lockWaits.count("byUser", e.field("user"));
        }
        failed.seen(e);
        failed.count("byErrorCode", code);
        failed.count("byUser", e.field("user"));
        failed.count("byWarehouse", e.field("warehouse"));
    }

    @Override
    public List<Finding> findings() {
        List<Finding> findings = new ArrayList<>();
        if (logins.count() > 0) {
            findings.add(logins.finding("Failed logins: " + logins.count(),
                    "Logins that Snowflake refused (LOGIN_HISTORY), by user, client address and error code: 390100 a wrong user or"
                            + " password, 390144 a key pair that does not match, 390422 an address a network policy does not allow.",
                    "Match 'byUser' and 'byHost' to their applications and fix their credentials; a burst from one address that"
                            + " tries many users is guessing: block it with a network policy.", null));
        }
        if (timeouts.count() > 0) {
            findings.add(timeouts.finding("Statements stopped by a timeout: " + timeouts.count(),
                    "Queries ended by STATEMENT_TIMEOUT_IN_SECONDS (error 000630), on the warehouses in 'byWarehouse'.",
                    "Look at their profiles: queued time points at warehouse size or concurrency, execution time at the query.",
                    null));
        }
        if (lockWaits.count() > 0) {
            findings.add(lockWaits.finding("Statements that gave up waiting for a lock: " + lockWaits.count(),
                    "DML waited longer than LOCK_TIMEOUT for a table another transaction held (error 000625).",
                    "Find the long transaction holding the table (SHOW TRANSACTIONS, SHOW LOCKS) and shorten it.", null));
        }
        if (failed.count() > 0) {
            findings.add(failed.finding("Failed queries: " + failed.count(),
                    "Queries that ended with an error (QUERY_HISTORY), by error code, user and warehouse.",
                    "Start with the most frequent code in 'byErrorCode'; a new code after a deployment is usually the deployment.",
                    null));
        }
        findings.sort(Comparator.comparingInt((Finding f) -> -f.severity().rank()));
        return findings;
    }
}
