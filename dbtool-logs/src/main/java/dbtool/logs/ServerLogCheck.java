package dbtool.logs;

import dbtool.core.run.CheckContributor;
import dbtool.core.run.CheckSkipped;
import dbtool.logs.analysis.LogAnalysis;
import dbtool.logs.read.EntryReader;
import dbtool.logs.read.LinePrefix;
import dbtool.logs.read.LogEntry;
import dbtool.logs.read.LogFormat;
import dbtool.logs.read.LogInput;
import dbtool.logs.read.Timestamps;
import dbtool.logs.rules.LogRules;
import dbtool.spi.Check;
import dbtool.spi.CheckContext;
import dbtool.spi.CheckResult;
import dbtool.spi.EnginePlugin;
import dbtool.spi.EngineSession;
import dbtool.spi.LogSource;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code troubleshoot}'s look at the server's recent log (category {@code logs}): the causes the log rules
 * name in the last hour of at most 1 MiB of the log, read over the session when the engine offers it
 * ({@link LogSource}) and the role may. A log that cannot be read skips the check: it says nothing about the
 * target's health, so it is no UNKNOWN in the report, only an INFO line in the run log.
 */
public final class ServerLogCheck implements Check {

    /** Bounds that keep a troubleshoot quick on a server with a chatty log. */
    static final long MAX_BYTES = 1L << 20;
    static final Duration WINDOW = Duration.ofHours(1);

    /** Provides this check to every troubleshoot (core finds it through {@link CheckContributor}). */
    public static final class Contributor implements CheckContributor {
        @Override
        public List<Check> checks(EnginePlugin plugin) {
            return List.of(new ServerLogCheck());
        }
    }

    @Override
    public String id() {
        return "server-log";
    }

    @Override
    public String category() {
        return "logs";
    }

    @Override
    public String description() {
        return "causes named by the server's log of the last hour (deadlocks, failed logins, too many clients...), when the role may read it";
    }

    /** The codes of the causes the log rules name (PostgresRules, SqlServerRules, MongoRules, SnowflakeRules); LogRulesCodesTest keeps it whole. */
    static final Set<String> CODES = Set.of(
            "MONGO_LOG_AUTH_FAILURES", "MONGO_LOG_TOO_MANY_CONNECTIONS", "MONGO_LOG_SLOW_QUERIES",
            "MONGO_LOG_STORAGE_ERRORS", "MONGO_LOG_FATAL", "PG_LOG_TOO_MANY_CLIENTS", "PG_LOG_DEADLOCKS",
            "PG_LOG_AUTH_FAILURES", "PG_LOG_STATEMENT_TIMEOUTS", "PG_LOG_LOCK_TIMEOUTS",
            "PG_LOG_CHECKPOINTS_TOO_FREQUENT", "PG_LOG_DISK_FULL", "PG_LOG_OUT_OF_MEMORY", "PG_LOG_WAL_TROUBLE",
            "PG_LOG_WRAPAROUND", "PG_LOG_CRASH_RECOVERY", "PG_LOG_MISSING_OBJECTS", "MSSQL_LOG_LOGIN_FAILURES",
            "MSSQL_LOG_DEADLOCKS", "MSSQL_LOG_TRANSACTION_LOG_FULL", "MSSQL_LOG_DISK_FULL",
            "MSSQL_LOG_MEMORY_PRESSURE", "MSSQL_LOG_IO_ERRORS", "MSSQL_LOG_SLOW_IO", "MSSQL_LOG_SCHEDULER_STALLS",
            "SF_LOG_LOGIN_FAILURES", "SF_LOG_STATEMENT_TIMEOUTS", "SF_LOG_LOCK_TIMEOUTS", "SF_LOG_FAILED_QUERIES");

    @Override
    public Set<String> findingCodes() {
        return CODES;
    }

    @Override
    public CheckResult run(EngineSession session, CheckContext context) throws Exception {
        if (!(session instanceof LogSource source)) {
            throw new CheckSkipped("this engine's plugin offers no reading of the server log");
        }
        LogSource.ServerLog log;
        try {
            log = source.readLog(MAX_BYTES, context);
        } catch (LogSource.Unreadable e) {
            throw new CheckSkipped("the server log is not readable: " + e.getMessage());
        }
        LogAnalysis analysis = analyze(log, Instant.now().minus(WINDOW), null);
        return new CheckResult(analysis.rules().findings(), Map.of("bytesRead", (long) log.text().length(),
                "entries", analysis.entries(), "patterns", analysis.patterns().size()));
    }

    /** Reads a server's log text into an analysis, keeping the entries at or after {@code since} (or every one). */
    static LogAnalysis analyze(LogSource.ServerLog log, Instant since, LinePrefix prefixOverride) throws IOException {
        LogFormat format = layout(log);
        LogAnalysis analysis = new LogAnalysis(LogRules.forFormat(format));
        try (LogInput input = LogInput.ofText(log.name(), log.text())) {
            EntryReader entries = LogsCommand.reader(format, input, prefix(log, prefixOverride), message -> { }, false);
            LogEntry entry;
            while ((entry = entries.next()) != null) {
                Instant at = since == null ? null : Timestamps.parse(entry.timestamp(), ZoneId.systemDefault());
                if (at == null || !at.isBefore(since)) {
                    analysis.add(entry);
                }
            }
        }
        return analysis;
    }

    static LogFormat layout(LogSource.ServerLog log) {
        LogFormat format = LogFormat.fromOption(log.layout());
        return format == null ? LogFormat.MESSAGE : format; // a layout this version does not know: still one entry a line
    }

    /** The prefix given on the command line, else the server's own; one with an escape dbtool does not know reads as the default. */
    static LinePrefix prefix(LogSource.ServerLog log, LinePrefix override) {
        if (override != null) {
            return override;
        }
        if (log.prefix() == null) {
            return LinePrefix.defaultPrefix();
        }
        try {
            return LinePrefix.parse(log.prefix());
        } catch (RuntimeException unknownEscape) {
            return LinePrefix.defaultPrefix();
        }
    }
}
