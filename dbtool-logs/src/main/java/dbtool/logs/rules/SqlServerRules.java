package dbtool.logs.rules;

import dbtool.logs.read.LogEntry;
import dbtool.spi.Finding;
import dbtool.spi.Severity;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/** SQL Server's causes, by error number (ERRORLOG's "Error: N, Severity: S, State: X." line). */
final class SqlServerRules implements LogRules {

    private final Cause logins = new Cause("MSSQL_LOG_LOGIN_FAILURES", Severity.WARNING);
    private final Cause deadlocks = new Cause("MSSQL_LOG_DEADLOCKS", Severity.WARNING);
    private final Cause logFull = new Cause("MSSQL_LOG_TRANSACTION_LOG_FULL", Severity.CRITICAL);
    private final Cause diskFull = new Cause("MSSQL_LOG_DISK_FULL", Severity.CRITICAL);
    private final Cause memory = new Cause("MSSQL_LOG_MEMORY_PRESSURE", Severity.CRITICAL);
    private final Cause io = new Cause("MSSQL_LOG_IO_ERRORS", Severity.CRITICAL);
    private final Cause slowIo = new Cause("MSSQL_LOG_SLOW_IO", Severity.WARNING);
    private final Cause schedulers = new Cause("MSSQL_LOG_SCHEDULER_STALLS", Severity.CRITICAL);

    @Override
    public boolean benign(LogEntry e) {
        String m = e.message();
        return m.startsWith("Login succeeded for user") || m.startsWith("Log was backed up") || m.startsWith("BACKUP DATABASE successfully")
                || m.startsWith("Database backed up") || m.startsWith("BACKUP LOG successfully") || m.startsWith("Starting up database")
                || (m.startsWith("CHECKDB for database") && m.contains("found 0 errors"))
                || m.startsWith("This instance of SQL Server has been using a process ID");
    }

    @Override
    public void accept(LogEntry e) {
        String code = e.code() == null ? "" : e.code();
        String m = e.message();
        if (code.equals("18456") || m.startsWith("Login failed for user")) {
            logins.seen(e);
            logins.count("byUser", e.field("user"));
            logins.count("byHost", e.field("host"));
            logins.count("byReason", reason(m));
        } else if (code.equals("1205") || m.contains("was deadlocked on")) {
            deadlocks.seen(e);
        } else if (code.equals("9002")) {
            logFull.seen(e);
        } else if (Set.of("1101", "1105", "5149").contains(code) || m.contains("There is insufficient space") || m.contains("disk is full")) {
            diskFull.seen(e);
        } else if (Set.of("701", "802", "8645", "17890").contains(code)) {
            memory.seen(e);
        } else if (Set.of("823", "824", "825").contains(code)) {
            io.seen(e);
        } else if (code.equals("833") || m.contains("I/O requests taking longer than 15 seconds")) {
            slowIo.seen(e);
        } else if (Set.of("17883", "17884", "17888").contains(code) || m.contains("non-yielding") || m.contains("Deadlocked Schedulers")) {
            schedulers.seen(e);
        }
    }

    private static String reason(String message) {
        int at = message.indexOf("Reason: ");
        if (at < 0) {
            return null;
        }
        String reason = message.substring(at + 8);
        int end = reason.indexOf(" [CLIENT");
        return (end < 0 ? reason : reason.substring(0, end)).strip();
    }

    @Override
    public List<Finding> findings() {
        List<Finding> findings = new ArrayList<>();
        if (logins.count() > 0) {
            findings.add(logins.finding("Failed logins: " + logins.count() + " (error 18456)",
                    "Logins failed; the state in the Error line and 'byReason' tell a wrong password from a missing login or database.",
                    "Match 'byUser' and 'byHost' to their applications and fix their secret or default database; block guessing hosts.", null));
        }
        if (deadlocks.count() > 0) {
            findings.add(deadlocks.finding("Deadlocks: " + deadlocks.count() + " victims (error 1205)",
                    "Sessions were chosen as deadlock victims; system_health's xml_deadlock_report has the graphs.",
                    "Run 'dbtool troubleshoot' for the deadlock graphs, make the transactions take locks in one order, retry on 1205.", null));
        }
        if (logFull.count() > 0) {
            findings.add(logFull.finding("Transaction log full: " + logFull.count() + " errors (9002)",
                    "A database's transaction log could not grow; writes fail until it is truncated or grown.",
                    "SELECT name, log_reuse_wait_desc FROM sys.databases; fix what holds the log (a log backup, a long transaction, replication).", null));
        }
        if (diskFull.count() > 0) {
            findings.add(diskFull.finding("Out of disk or filegroup space: " + diskFull.count() + " errors",
                    "A filegroup or its disk is full (1101, 1105).", "Add space or files to the filegroup, or free disk space.", null));
        }
        if (memory.count() > 0) {
            findings.add(memory.finding("Memory pressure: " + memory.count() + " errors (701, 802, 8645)",
                    "Queries failed or waited for memory.", "Check max server memory, memory grants (sys.dm_exec_query_memory_grants) and the host.", null));
        }
        if (io.count() > 0) {
            findings.add(io.finding("I/O errors: " + io.count() + " (823, 824, 825)",
                    "Reads failed or needed retries: storage or corruption.", "Run DBCC CHECKDB on the database in the examples and check the storage.", null));
        }
        if (slowIo.count() > 0) {
            findings.add(slowIo.finding("Slow I/O: " + slowIo.count() + " warnings (833)",
                    "I/O requests took longer than 15 seconds.", "Check the storage latency of the files named in the examples.", null));
        }
        if (schedulers.count() > 0) {
            findings.add(schedulers.finding("Scheduler stalls: " + schedulers.count() + " (17883, 17884, 17888)",
                    "Schedulers stopped yielding or deadlocked: the server could not run work.",
                    "Read the memory dump's stack and worker counts; check max worker threads and blocking.", null));
        }
        findings.sort(Comparator.comparingInt((Finding f) -> -f.severity().rank()));
        return findings;
    }
}
