package dbtool.logs.rules;

import dbtool.logs.analysis.Printable;
import dbtool.logs.read.LogEntry;
import dbtool.spi.Finding;
import dbtool.spi.Severity;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * PostgreSQL's causes, by SQLSTATE where the log carries one (%e, csvlog, jsonlog) and by the
 * server's English message otherwise (lc_messages = C, the usual setting for logs that tools read).
 * Messages checked against PostgreSQL 13 to 17.
 */
final class PostgresRules implements LogRules {

    private static final Pattern QUOTED = Pattern.compile("\"([^\"]*)\"");
    private static final Pattern SECONDS_APART = Pattern.compile("\\((\\d+) seconds? apart\\)");
    /** Compiled once: a log of many missing-table errors would otherwise compile it for each one. */
    private static final Pattern AT_CHARACTER = Pattern.compile(" at character \\d+$");
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");
    private static final Pattern PROCESS_STATEMENT = Pattern.compile("(?m)^Process (\\d+): (.*)$");

    private final Cause tooManyClients = new Cause("PG_LOG_TOO_MANY_CLIENTS", Severity.CRITICAL);
    private final Cause deadlocks = new Cause("PG_LOG_DEADLOCKS", Severity.WARNING);
    private final Cause authFailures = new Cause("PG_LOG_AUTH_FAILURES", Severity.WARNING);
    private final Cause statementTimeouts = new Cause("PG_LOG_STATEMENT_TIMEOUTS", Severity.WARNING);
    private final Cause lockTimeouts = new Cause("PG_LOG_LOCK_TIMEOUTS", Severity.WARNING);
    private final Cause checkpoints = new Cause("PG_LOG_CHECKPOINTS_TOO_FREQUENT", Severity.WARNING);
    private final Cause diskFull = new Cause("PG_LOG_DISK_FULL", Severity.CRITICAL);
    private final Cause outOfMemory = new Cause("PG_LOG_OUT_OF_MEMORY", Severity.CRITICAL);
    private final Cause wal = new Cause("PG_LOG_WAL_TROUBLE", Severity.CRITICAL);
    private final Cause wraparound = new Cause("PG_LOG_WRAPAROUND", Severity.CRITICAL);
    private final Cause crash = new Cause("PG_LOG_CRASH_RECOVERY", Severity.CRITICAL);
    private final Cause missingObjects = new Cause("PG_LOG_MISSING_OBJECTS", Severity.WARNING);
    private long minSecondsApart = Long.MAX_VALUE;

    @Override
    public boolean benign(LogEntry e) {
        String m = e.message();
        return "LOG".equals(e.severity()) && (m.startsWith("connection received: ") || m.startsWith("connection authorized: ")
                || m.startsWith("connection authenticated: ") || m.startsWith("disconnection: ") || m.startsWith("checkpoint starting: ")
                || m.startsWith("checkpoint complete: ") || m.startsWith("restartpoint starting: ") || m.startsWith("restartpoint complete: ")
                || m.startsWith("automatic vacuum of table ") || m.startsWith("automatic analyze of table ")
                || m.startsWith("automatic aggressive vacuum of table "));
    }

    @Override
    public void accept(LogEntry e) {
        String m = e.message();
        if ("LOG".equals(e.severity()) && (m.startsWith("duration: ") || m.startsWith("statement: "))) {
            return; // statement logging: the bulk of a busy log, and no cause of its own
        }
        String code = e.code() == null ? "" : e.code();
        if (code.equals("53300") || m.startsWith("sorry, too many clients already") || m.startsWith("remaining connection slots are reserved")) {
            tooManyClients.seen(e);
            tooManyClients.count("byUser", e.field("user"));
            tooManyClients.count("byDatabase", e.field("database"));
        } else if (code.equals("40P01") || m.equals("deadlock detected")) {
            deadlocks.seen(e);
            Map<String, Object> deadlock = new LinkedHashMap<>();
            deadlock.put("line", e.line());
            deadlock.put("timestamp", e.timestamp());
            List<String> statements = new ArrayList<>();
            if (e.field("detail") != null) {
                Matcher process = PROCESS_STATEMENT.matcher(e.field("detail"));
                while (process.find()) {
                    statements.add("pid " + process.group(1) + ": " + Printable.of(process.group(2), 500));
                }
                deadlock.put("detail", Printable.of(firstLines(e.field("detail"), 2), 500));
            }
            if (statements.isEmpty() && e.field("statement") != null) {
                statements.add(Printable.of(e.field("statement"), 500));
            }
            deadlock.put("statements", statements);
            deadlocks.item(deadlock);
        } else if (code.equals("28P01") || m.startsWith("password authentication failed for user")
                || (code.equals("28000") && m.startsWith("no pg_hba.conf entry")) || m.startsWith("no pg_hba.conf entry for host")
                || ("FATAL".equals(e.severity()) && m.startsWith("role \"") && m.endsWith("\" does not exist"))
                || m.startsWith("Ident authentication failed") || m.startsWith("GSSAPI authentication failed")
                || m.startsWith("certificate authentication failed") || m.startsWith("LDAP authentication failed")
                || m.startsWith("SCRAM authentication failed")) {
            authFailures.seen(e);
            authFailures.count("byUser", e.field("user") != null ? e.field("user") : quoted(m));
            authFailures.count("byHost", e.field("host"));
        } else if ((code.equals("57014") || code.isEmpty()) && m.startsWith("canceling statement due to statement timeout")) {
            statementTimeouts.seen(e);
            statementTimeouts.count("byStatement", statement(e));
        } else if ((code.equals("55P03") || code.isEmpty()) && m.startsWith("canceling statement due to lock timeout")) {
            lockTimeouts.seen(e);
            lockTimeouts.count("byStatement", statement(e));
        } else if (m.startsWith("checkpoints are occurring too frequently")) {
            checkpoints.seen(e);
            Matcher apart = SECONDS_APART.matcher(m);
            if (apart.find()) {
                minSecondsApart = Math.min(minSecondsApart, Long.parseLong(apart.group(1)));
            }
        } else if (code.equals("53100") || m.contains("No space left on device")) {
            diskFull.seen(e);
        } else if (code.equals("53200") || m.startsWith("out of memory")) {
            outOfMemory.seen(e);
        } else if ((m.contains("WAL segment") && m.contains("has already been removed")) || m.startsWith("archive command failed")
                || m.startsWith("archive command was terminated") || m.contains("obsolete replication slot")
                || (m.startsWith("replication slot") && (m.contains("does not exist") || m.contains("is active")))
                || m.startsWith("could not write to file \"pg_wal") || m.startsWith("could not receive data from WAL stream")) {
            wal.seen(e);
        } else if (m.contains("wraparound") || m.contains("must be vacuumed within")) {
            wraparound.seen(e);
        } else if ("PANIC".equals(e.severity()) || m.contains("was terminated by signal") || m.startsWith("terminating any other active server processes")
                || m.startsWith("all server processes terminated; reinitializing")
                || m.startsWith("database system was not properly shut down; automatic recovery in progress")
                || m.startsWith("database system was interrupted")) {
            crash.seen(e);
        } else if (code.equals("42P01") || code.equals("42703") || code.equals("42883")
                || (code.isEmpty() && "ERROR".equals(e.severity()) && m.endsWith("does not exist")
                    && (m.startsWith("relation ") || m.startsWith("column ") || m.startsWith("function ")))) {
            missingObjects.seen(e);
            missingObjects.count("byObject", m.contains(" at character ") ? AT_CHARACTER.matcher(m).replaceFirst("") : m);
        }
    }

    private static String firstLines(String text, int n) {
        String[] lines = text.split("\n");
        return String.join("\n", Arrays.copyOf(lines, Math.min(n, lines.length)));
    }

    private static String quoted(String message) {
        Matcher matcher = QUOTED.matcher(message);
        return matcher.find() ? matcher.group(1) : null;
    }

    private static String statement(LogEntry e) {
        String statement = e.field("statement");
        return statement == null ? null : WHITESPACE.matcher(statement.strip()).replaceAll(" ");
    }

    @Override
    public List<Finding> findings() {
        List<Finding> findings = new ArrayList<>();
        if (tooManyClients.count() > 0) {
            findings.add(tooManyClients.finding("Connections refused: too many clients (" + tooManyClients.count() + " times)",
                    "The server turned connections away because max_connections (less the reserved slots) was reached.",
                    "See who holds the connections: SELECT usename, application_name, client_addr, state, count(*) FROM pg_stat_activity "
                            + "GROUP BY 1, 2, 3, 4 ORDER BY 5 DESC; put a pooler (PgBouncer) in front of the applications that open many, "
                            + "and end idle-in-transaction sessions; raise max_connections only with the memory for it.", null));
        }
        if (deadlocks.count() > 0) {
            findings.add(deadlocks.finding("Deadlocks: " + deadlocks.count() + " transactions aborted",
                    "Two or more transactions waited for each other's locks; PostgreSQL aborted one of them (SQLSTATE 40P01).",
                    "Make the transactions in 'items' take their row locks in the same order (e.g. ORDER BY the key in "
                            + "SELECT ... FOR UPDATE), keep them short, and retry on 40P01 in the application.", null));
        }
        if (authFailures.count() > 0) {
            findings.add(authFailures.finding("Failed logins: " + authFailures.count() + " authentication failures",
                    "Logins failed their authentication (wrong password, no pg_hba.conf entry, a failed GSSAPI or certificate check). "
                            + "A burst from one host is an application with a stale secret or someone guessing.",
                    "Match 'byUser' and 'byHost' to their applications: rotate the secret they use, or block the host in pg_hba.conf.", null));
        }
        if (statementTimeouts.count() > 0) {
            findings.add(statementTimeouts.finding("Statements cancelled by statement_timeout: " + statementTimeouts.count(),
                    "Statements ran longer than statement_timeout and were cancelled (SQLSTATE 57014).",
                    "Look at the slowest statements in 'byStatement' with EXPLAIN (ANALYZE, BUFFERS) on a replica, and check whether "
                            + "they waited for locks (log_lock_waits = on) rather than worked.", null));
        }
        if (lockTimeouts.count() > 0) {
            findings.add(lockTimeouts.finding("Statements cancelled by lock_timeout: " + lockTimeouts.count(),
                    "Statements waited longer than lock_timeout for a lock (SQLSTATE 55P03): something held the lock too long.",
                    "Run 'dbtool troubleshoot' on the server while it happens to see the blocking chain; look for long transactions "
                            + "and DDL on the tables in 'byStatement'.", null));
        }
        if (checkpoints.count() > 0) {
            findings.add(checkpoints.finding("Checkpoints occur too frequently (" + checkpoints.count() + " warnings"
                    + (minSecondsApart == Long.MAX_VALUE ? "" : ", as close as " + minSecondsApart + " s apart") + ")",
                    "WAL fills max_wal_size before checkpoint_timeout, so checkpoints run back to back: more I/O and more full-page writes.",
                    "Raise max_wal_size (e.g. ALTER SYSTEM SET max_wal_size = '4GB'; SELECT pg_reload_conf();) so that checkpoints "
                            + "are driven by checkpoint_timeout; check the disk has room for it.",
                    minSecondsApart == Long.MAX_VALUE ? null : Map.of("minSecondsApart", minSecondsApart)));
        }
        if (diskFull.count() > 0) {
            findings.add(diskFull.finding("Out of disk space: " + diskFull.count() + " errors",
                    "Writes failed with 'No space left on device' (SQLSTATE 53100).",
                    "Free space on the volume in the examples now (old logs, a stuck replication slot holding WAL, temporary files); "
                            + "never delete files under pg_wal by hand.", null));
        }
        if (outOfMemory.count() > 0) {
            findings.add(outOfMemory.finding("Out of memory: " + outOfMemory.count() + " errors",
                    "Allocations failed (SQLSTATE 53200); the detail names the request size.",
                    "Lower work_mem or the concurrency of the queries that fail, and check the host's memory and overcommit settings.", null));
        }
        if (wal.count() > 0) {
            findings.add(wal.finding("WAL, archiving or replication slot trouble: " + wal.count() + " messages",
                    "WAL was removed before a standby or slot consumer read it, archiving failed, or a replication slot was lost.",
                    "Check archive_command and its target, pg_stat_archiver, and pg_replication_slots (wal_status, restart_lsn); "
                            + "rebuild a standby whose WAL is gone.", null));
        }
        if (wraparound.count() > 0) {
            findings.add(wraparound.finding("Transaction ID wraparound warnings: " + wraparound.count(),
                    "The server is running out of transaction IDs and will stop accepting writes before wraparound.",
                    "VACUUM (FREEZE) the databases named in the examples now; find what blocks autovacuum (long transactions, "
                            + "prepared transactions, stale replication slots).", null));
        }
        if (crash.count() > 0) {
            findings.add(crash.finding("Crash and recovery: " + crash.count() + " messages",
                    "A server process died (signal, PANIC) and the server restarted all sessions, or started after an unclean shutdown.",
                    "Read the lines before the first example (the failing process and its query) and the kernel log for the OOM killer.", null));
        }
        if (missingObjects.count() > 0) {
            findings.add(missingObjects.finding("Queries on missing tables, columns or functions: " + missingObjects.count(),
                    "Applications referred to objects that do not exist (SQLSTATE 42P01, 42703, 42883): a deployment out of step "
                            + "with the schema, or the wrong search_path or database.",
                    "Match 'byObject' to the application and its migrations.", null));
        }
        findings.sort(Comparator.comparingInt((Finding f) -> -f.severity().rank()));
        return findings;
    }
}
