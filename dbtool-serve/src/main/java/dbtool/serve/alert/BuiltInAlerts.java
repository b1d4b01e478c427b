package dbtool.serve.alert;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Which checks answer which alert, for the rule names that postgres_exporter's mixin, the
 * awesome-prometheus-alerts collection and the common SQL Server, MongoDB and MySQL exporters' rules
 * use. Names are matched without regard to case (senders write PostgreSQL, Postgresql, postgres).
 * Each entry lists check ids and categories of every engine it may concern; a troubleshoot runs
 * those its target's plugin has. docs/serve.md's table is this table (ServeDocsTest keeps them equal).
 */
public final class BuiltInAlerts {

    /** One row: the alert names, the checks (ids or categories) to run, and what the alert means. */
    public record Entry(List<String> alertNames, List<String> checks, String meaning) {
    }

    private static final List<Entry> ENTRIES = List.of(
            // PostgreSQL: awesome-prometheus-alerts (postgres_exporter) and the postgres_exporter mixin
            new Entry(List.of("PostgresqlDown", "PostgresqlExporterError", "PostgresqlRestarted"),
                    List.of("connectivity"), "the server does not answer, or restarted"),
            new Entry(List.of("PostgresqlTooManyConnections", "PostgreSQLMaxConnectionsReached", "PostgreSQLHighConnections",
                    "PostgresqlNotEnoughConnections"),
                    List.of("connectivity", "connection-headroom", "connections", "idle-in-transaction", "blocking"),
                    "connection slots nearly used up: who holds them, and whether they wait on locks"),
            new Entry(List.of("PostgresqlDeadLocks", "PostgresqlHighRateDeadlock", "PostgresqlTooManyLocksAcquired", "PostgresqlBlockingChain"),
                    List.of("locks", "long-queries"), "deadlocks or lock pile-ups: blocking trees and their head blockers"),
            new Entry(List.of("PostgresqlReplicationLag", "PostgresqlReplicationLagBytes",
                    "PostgresqlUnusedReplicationSlot", "PostgresqlWaleReplicationStopped", "PostgresqlInactiveSlotRetainingWal"),
                    List.of("replication", "long-transactions"), "standby lag, replay delay, slots retaining WAL"),
            new Entry(List.of("PostgresqlHighRollbackRate", "PostgresqlCommitRateLow", "PostgresqlHighRateStatementTimeout"),
                    List.of("locks", "queries"), "transactions failing or timing out: lock waits and the statements involved"),
            new Entry(List.of("PostgresqlLongRunningTransaction", "PostgresqlIdleInTransaction",
                    "PostgresqlOldestXminTooOld"),
                    List.of("long-transactions", "idle-in-transaction", "blocking", "prepared-transactions"),
                    "old transactions holding locks and the xmin horizon"),
            new Entry(List.of("PostgresqlSlowQueries", "PostgresqlHighCpuUsage"),
                    List.of("queries", "locks"), "slow statements now and the top statements"),
            new Entry(List.of("PostgresqlTooManyDeadTuples", "PostgresqlTableNotAutoVacuumed", "PostgresqlTableNotAutoAnalyzed",
                    "PostgresqlBloatTableHigh", "PostgresqlTxidWraparound"),
                    List.of("vacuum", "wraparound", "long-transactions"), "vacuum falling behind, wraparound age, and what holds it back"),
            new Entry(List.of("PostgresqlLowCacheHitRatio", "PostgreSQLCacheHitRatio", "PostgresqlTooManyTempFiles"),
                    List.of("cache-hit", "temp-files", "top-statements"), "reads missing the cache, sorts spilling to disk"),
            new Entry(List.of("PostgresqlCheckpointsTooFrequent", "PostgresqlDiskFull", "PostgresqlWalTooLarge"),
                    List.of("checkpoints", "sizes", "replication"), "WAL volume, checkpoints and sizes"),
            // SQL Server (awesome-prometheus-alerts' sql_exporter rules and common names)
            new Entry(List.of("SqlserverDown", "MssqlDown"), List.of("connectivity"), "the server does not answer"),
            new Entry(List.of("SqlserverDeadlock", "MssqlDeadlocks", "SqlserverBlockedProcesses"),
                    List.of("locks", "long-requests"), "deadlocks and blocking chains with their head blockers"),
            new Entry(List.of("SqlserverLogSpace", "MssqlLogSpaceUsed", "SqlserverTempdbFull"),
                    List.of("log-space", "tempdb", "open-transactions"), "log or tempdb space and the transactions holding it"),
            new Entry(List.of("SqlserverHighCpu", "MssqlCpuHigh", "SqlserverWorkerThreadsExhausted"),
                    List.of("cpu", "workers", "waits", "top-statements"), "CPU or worker saturation and what consumes it"),
            new Entry(List.of("SqlserverTooManyConnections"), List.of("connectivity", "workers", "blocking"),
                    "connections near the limit: who holds them and whether they wait"),
            new Entry(List.of("SqlserverLongRunningTransaction"), List.of("open-transactions", "tempdb", "blocking"),
                    "old transactions holding locks and the version store"),
            // MongoDB (awesome-prometheus-alerts' mongodb_exporter rules)
            new Entry(List.of("MongodbDown"), List.of("connectivity"), "the server does not answer"),
            new Entry(List.of("MongodbReplicaMemberUnhealthy", "MongodbReplicationLag", "MongodbReplicationHeadroom",
                    "MongodbReplicationStatus3"), List.of("replication", "oplog-window"), "replica set health, lag and oplog window"),
            new Entry(List.of("MongodbTooManyConnections", "MongodbNumberCursorsOpen", "MongodbCursorsTimeouts"),
                    List.of("connectivity", "connections", "slow-operations"), "connections and cursors piling up"),
            new Entry(List.of("MongodbVirtualMemoryUsage", "MongodbWiredTigerTicketsLow", "MongodbHighLatency"),
                    List.of("resources", "lock-waits", "slow-operations"), "cache, tickets and the operations waiting"),
            new Entry(List.of("MongodbLockWaits", "MongodbLongTransaction"), List.of("lock-waits", "transactions", "slow-operations"),
                    "operations waiting for locks, their blocker and open transactions"),
            // Snowflake (dbtool monitoring's generated rules; no common exporter has a set)
            new Entry(List.of("SnowflakeDown"), List.of("connectivity"), "the account does not answer or refuses the login"),
            new Entry(List.of("SnowflakeQueriesBlocked"), List.of("blocked-transactions", "long-queries"),
                    "queries blocked by another transaction's locks, and the blocker"),
            new Entry(List.of("SnowflakeWarehouseQueued", "SnowflakeWarehouseOverloaded"),
                    List.of("queued-queries", "warehouse", "warehouse-load"), "queries queued on a busy or suspended warehouse"),
            new Entry(List.of("SnowflakeLongQueries", "SnowflakeRemoteSpilling"), List.of("long-queries", "slowest-queries", "spilling"),
                    "long and spilling queries"),
            // MySQL and MariaDB (awesome-prometheus-alerts' mysqld_exporter rules)
            new Entry(List.of("MysqlDown", "MysqlRestarted"), List.of("connectivity"), "the server does not answer, or restarted"),
            new Entry(List.of("MysqlTooManyConnections(>80%)", "MysqlTooManyConnections", "MysqlHighThreadsRunning"),
                    List.of("connectivity", "connections", "blocking", "long-queries"), "connections used up and what they wait on"),
            new Entry(List.of("MysqlSlaveIoThreadNotRunning", "MysqlSlaveSqlThreadNotRunning", "MysqlSlaveReplicationLag"),
                    List.of("replication"), "replica threads and lag"),
            new Entry(List.of("MysqlSlowQueries", "MysqlInnodbLogWaits"), List.of("queries", "locks", "buffer-pool"),
                    "slow statements, lock and log waits"));

    private static final Map<String, Entry> BY_NAME = index();

    private BuiltInAlerts() {
    }

    public static List<Entry> entries() {
        return ENTRIES;
    }

    /** The entry for an alert name, case aside. */
    public static Optional<Entry> find(String alertName) {
        return Optional.ofNullable(BY_NAME.get(alertName.toLowerCase(Locale.ROOT)));
    }

    private static Map<String, Entry> index() {
        Map<String, Entry> index = new LinkedHashMap<>();
        for (Entry entry : ENTRIES) {
            for (String name : entry.alertNames()) {
                if (index.put(name.toLowerCase(Locale.ROOT), entry) != null) {
                    throw new IllegalStateException("alert name " + name + " is in the built-in table twice");
                }
            }
        }
        return index;
    }
}
