package dbtool.monitoring.rules;

import dbtool.monitoring.Engines;
import dbtool.monitoring.Metric;
import dbtool.monitoring.rules.AlertRule.Series;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The generated alerting rules, per engine. The PostgreSQL set covers awesome-prometheus-alerts' PostgreSQL rules
 * that dbtool measures (down, restarted, exporter error, too many connections, not enough connections, deadlocks,
 * high rollback rate, replication lag, unused replication slot, too many dead tuples, too many locks) and adds
 * what that set lacks: a blocking chain with its head blocker, an inactive slot retaining WAL, wraparound age,
 * long and idle transactions, the xmin horizon. SQL Server, MongoDB and Snowflake get their equivalents.
 *
 * <p>Every series is one {@code dbtool serve} exports in its default configuration (named through {@link Metric},
 * that is serve's own naming), every alert name is one serve's alert intake maps to checks, and every rule
 * carries {@code dbtool_target}, so a firing alert comes back to {@code dbtool serve} and runs the right checks.
 * Each rule brings the series that make it fire and those that must not: the promtool unit tests.
 */
public final class RuleCatalog {

    private static final String PG = "postgresql";
    private static final String MSSQL = "sqlserver";
    private static final String MONGO = "mongodb";
    private static final String SNOWFLAKE = "snowflake";

    /** The test target every example series belongs to. */
    public static final String EXAMPLE_TARGET = "orders";

    private RuleCatalog() {
    }

    /** Every rule, engines in {@link dbtool.monitoring.Engines#ALL}'s order. */
    public static List<AlertRule> all() {
        List<AlertRule> rules = new ArrayList<>();
        rules.addAll(postgres());
        rules.addAll(sqlServer());
        rules.addAll(mongo());
        rules.addAll(snowflake());
        return rules;
    }

    /** The rules of the given engines. */
    public static List<AlertRule> forEngines(List<String> engines) {
        return all().stream().filter(rule -> engines.contains(rule.engine())).toList();
    }

    static List<AlertRule> postgres() {
        Metric uptime = Metric.gauge("connection", "uptime_seconds");
        Metric usedRatio = Metric.gauge("connection-headroom", "used_ratio");
        Metric usable = Metric.gauge("connection-headroom", "usable_connections");
        Metric connections = Metric.gauge("connection-headroom", "connections");
        Metric deadlocks = Metric.counter("database-stats", "deadlocks");
        Metric commits = Metric.counter("database-stats", "xact_commit");
        Metric rollbacks = Metric.counter("database-stats", "xact_rollback");
        Metric lag = Metric.gauge("replication", "max_replay_lag_seconds");
        Metric inactiveSlots = Metric.gauge("replication", "inactive_slots");
        Metric retained = Metric.gauge("replication", "max_inactive_retained_bytes");
        Metric overdue = Metric.gauge("vacuum", "tables_overdue");
        Metric longestTransaction = Metric.gauge("long-transactions", "longest_transaction_seconds");
        Metric xminAge = Metric.gauge("long-transactions", "oldest_xmin_age");
        Metric idle = Metric.gauge("idle-in-transaction", "longest_idle_seconds");
        Metric longQueries = Metric.gauge("long-queries", "long_queries");
        Metric blocked = Metric.gauge("blocking", "blocked_sessions");
        Metric lockWaits = Metric.gauge("lock-waits", "lock_waits");
        Metric xid = Metric.gauge("wraparound", "max_xid_age");
        Metric mxid = Metric.gauge("wraparound", "max_mxid_age");
        Metric hit = Metric.gauge("cache-hit", "hit_ratio");
        Metric tempFiles = Metric.counter("temp-files", "temp_files");
        Metric checkpoints = Metric.counter("checkpoints", "checkpoints_requested");
        String rollbackRate = "rate(" + rollbacks.on(PG) + "[5m])";
        String transactionRate = "(rate(" + commits.on(PG) + "[5m]) + " + rollbackRate + ")";
        return List.of(
                down("PostgresqlDown", PG, "docs/playbooks/pg-connection-failed.md"),
                notMeasured("PostgresqlExporterError", PG, "docs/playbooks/pg-connection-failed.md"),
                new AlertRule("PostgresqlRestarted", PG, uptime.on(PG) + " < 300", Duration.ZERO, "info",
                        "PostgreSQL {{ $labels.target }} restarted less than 5 minutes ago",
                        "The server's uptime is under 5 minutes: a crash, a failover or a planned restart. dbtool's diagnosis "
                                + "checks connectivity and the server's log.",
                        "docs/playbooks/pg-connection-failed.md",
                        List.of(series(PG, uptime, "30x60")), List.of(series(PG, uptime, "100000+60x60")),
                        "awesome-prometheus-alerts PostgresqlRestarted"),
                new AlertRule("PostgresqlTooManyConnections", PG, usedRatio.on(PG) + " > 0.8", Duration.ofMinutes(2), "warning",
                        "PostgreSQL {{ $labels.target }} uses more than 80% of its connection slots",
                        "Client connections over 80% of max_connections less the reserved slots. The diagnosis shows who holds "
                                + "them, idle transactions and whether they wait on locks.",
                        "docs/playbooks/pg-connection-headroom.md",
                        List.of(series(PG, usedRatio, "0.9x60")), List.of(series(PG, usedRatio, "0.3x60")),
                        "awesome-prometheus-alerts PostgresqlTooManyConnections"),
                new AlertRule("PostgresqlNotEnoughConnections", PG, "(" + usable.on(PG) + " - " + connections.on(PG) + ") < 5",
                        Duration.ofMinutes(1), "critical",
                        "PostgreSQL {{ $labels.target }} has fewer than 5 connection slots left",
                        "Connection headroom: usable slots (max_connections less superuser_reserved_connections) minus "
                                + "connections in use. New clients will be refused with 'too many clients'.",
                        "docs/playbooks/pg-connection-headroom.md",
                        List.of(series(PG, usable, "100x60"), series(PG, connections, "97x60")),
                        List.of(series(PG, usable, "100x60"), series(PG, connections, "20x60")),
                        "awesome-prometheus-alerts PostgresqlNotEnoughConnections (connection headroom)"),
                new AlertRule("PostgresqlDeadLocks", PG, "increase(" + deadlocks.on(PG) + "[5m]) > 0", Duration.ZERO, "warning",
                        "PostgreSQL {{ $labels.target }} had deadlocks in the last 5 minutes",
                        "pg_stat_database counted deadlocks: transactions were aborted. The diagnosis shows the blocking trees "
                                + "and lock waits now.",
                        "docs/playbooks/pg-lock-waits.md",
                        List.of(series(PG, deadlocks, "0+1x60")), List.of(series(PG, deadlocks, "3x60")),
                        "awesome-prometheus-alerts PostgresqlDeadLocks"),
                new AlertRule("PostgresqlHighRollbackRate", PG, rollbackRate + " / " + transactionRate + " > 0.02 and "
                        + transactionRate + " > 0.1", Duration.ofMinutes(5), "warning",
                        "PostgreSQL {{ $labels.target }} rolls back more than 2% of its transactions",
                        "Rolled-back transactions over all transactions in the last 5 minutes (when there are more than 0.1 a "
                                + "second): errors, lock timeouts or an application retry loop.",
                        "docs/playbooks/pg-lock-waits.md",
                        List.of(series(PG, rollbacks, "0+60x60"), series(PG, commits, "0+600x60")),
                        List.of(series(PG, rollbacks, "0+1x60"), series(PG, commits, "0+600x60")),
                        "awesome-prometheus-alerts PostgresqlHighRollbackRate"),
                new AlertRule("PostgresqlReplicationLag", PG, lag.on(PG) + " > 30", Duration.ofMinutes(1), "warning",
                        "PostgreSQL {{ $labels.target }}: a standby replays more than 30 s behind",
                        "The largest replay lag of the primary's standbys (pg_stat_replication).",
                        "docs/playbooks/pg-replication.md",
                        List.of(series(PG, lag, "120x60")), List.of(series(PG, lag, "1x60")),
                        "awesome-prometheus-alerts PostgresqlReplicationLag"),
                new AlertRule("PostgresqlUnusedReplicationSlot", PG, inactiveSlots.on(PG) + " > 0", Duration.ofMinutes(5), "warning",
                        "PostgreSQL {{ $labels.target }} has an inactive replication slot",
                        "A replication slot nobody consumes keeps WAL (and, for logical slots, catalog rows) until it is used "
                                + "or dropped.",
                        "docs/playbooks/pg-replication.md",
                        List.of(series(PG, inactiveSlots, "1x60")), List.of(series(PG, inactiveSlots, "0x60")),
                        "awesome-prometheus-alerts PostgresqlUnusedReplicationSlot"),
                new AlertRule("PostgresqlInactiveSlotRetainingWal", PG, retained.on(PG) + " > 1073741824", Duration.ofMinutes(5),
                        "critical",
                        "PostgreSQL {{ $labels.target }}: an inactive replication slot retains more than 1 GiB of WAL",
                        "WAL kept for an inactive slot grows until the disk is full. Drop the slot or bring its consumer back.",
                        "docs/playbooks/pg-replication.md",
                        List.of(series(PG, retained, "5e9x60")), List.of(series(PG, retained, "1e6x60")),
                        "added: awesome-prometheus-alerts has no rule for WAL retained by a slot"),
                new AlertRule("PostgresqlTooManyDeadTuples", PG, overdue.on(PG) + " > 0", Duration.ofMinutes(15), "warning",
                        "PostgreSQL {{ $labels.target }} has tables whose dead tuples are overdue for vacuum",
                        "Tables past their autovacuum threshold that autovacuum has not reached: bloat grows. The diagnosis "
                                + "shows what holds vacuum back (long transactions, the xmin horizon).",
                        "docs/playbooks/pg-vacuum.md",
                        List.of(series(PG, overdue, "3x60")), List.of(series(PG, overdue, "0x60")),
                        "awesome-prometheus-alerts PostgresqlTooManyDeadTuples, PostgresqlTableNotAutoVacuumed"),
                new AlertRule("PostgresqlTooManyLocksAcquired", PG, lockWaits.on(PG) + " > 10", Duration.ofMinutes(2), "warning",
                        "PostgreSQL {{ $labels.target }} has more than 10 sessions waiting on locks",
                        "Sessions waiting for a lock (pg_locks not granted).",
                        "docs/playbooks/pg-lock-waits.md",
                        List.of(series(PG, lockWaits, "25x60")), List.of(series(PG, lockWaits, "1x60")),
                        "awesome-prometheus-alerts PostgresqlTooManyLocksAcquired (as lock waits)"),
                new AlertRule("PostgresqlBlockingChain", PG, blocked.on(PG) + " > 0", Duration.ofMinutes(1), "critical",
                        "PostgreSQL {{ $labels.target }}: sessions are blocked behind a head blocker",
                        "A blocking chain: sessions wait on locks held by others. The diagnosis names the head blocker's pid and "
                                + "the statement to end it.",
                        "docs/playbooks/pg-blocking-chain.md",
                        List.of(series(PG, blocked, "2x60")), List.of(series(PG, blocked, "0x60")),
                        "added: a blocking chain with its head blocker"),
                new AlertRule("PostgresqlLongRunningTransaction", PG, longestTransaction.on(PG) + " > 300", Duration.ofMinutes(2),
                        "warning",
                        "PostgreSQL {{ $labels.target }} has a transaction open for more than 5 minutes",
                        "A long transaction holds its locks and the xmin horizon: vacuum cannot clean behind it.",
                        "docs/playbooks/pg-long-transaction.md",
                        List.of(series(PG, longestTransaction, "900x60")), List.of(series(PG, longestTransaction, "2x60")),
                        "awesome-prometheus-alerts' long transaction rule (pg_stat_activity_max_tx_duration)"),
                new AlertRule("PostgresqlIdleInTransaction", PG, idle.on(PG) + " > 300", Duration.ofMinutes(2), "warning",
                        "PostgreSQL {{ $labels.target }} has a session idle in transaction for more than 5 minutes",
                        "A client opened a transaction and stopped talking: its locks and snapshot stay.",
                        "docs/playbooks/pg-idle-in-transaction.md",
                        List.of(series(PG, idle, "600x60")), List.of(series(PG, idle, "0x60")),
                        "added: idle in transaction"),
                new AlertRule("PostgresqlOldestXminTooOld", PG, xminAge.on(PG) + " > 100000000", Duration.ofMinutes(10), "warning",
                        "PostgreSQL {{ $labels.target }}: the oldest snapshot holds back vacuum by more than 100 million transactions",
                        "The xmin horizon is old: a long transaction, a prepared transaction or a slot keeps it.",
                        "docs/playbooks/pg-long-transaction.md",
                        List.of(series(PG, xminAge, "2e8x60")), List.of(series(PG, xminAge, "1000x60")),
                        "added: the xmin horizon"),
                new AlertRule("PostgresqlSlowQueries", PG, longQueries.on(PG) + " > 0", Duration.ofMinutes(2), "warning",
                        "PostgreSQL {{ $labels.target }} runs statements for more than a minute",
                        "Active statements running longer than the long-queries check's long_query_seconds (60 s by default; "
                                + "the longest is dbtool_longest_query_seconds, exported while there is one).",
                        "docs/playbooks/pg-long-query.md",
                        List.of(series(PG, longQueries, "2x60")), List.of(series(PG, longQueries, "0x60")),
                        "awesome-prometheus-alerts PostgresqlSlowQueries"),
                new AlertRule("PostgresqlTxidWraparound", PG, xid.on(PG) + " > 1000000000 or " + mxid.on(PG) + " > 1000000000",
                        Duration.ofMinutes(5), "critical",
                        "PostgreSQL {{ $labels.target }}: transaction ID age over 1 billion (wraparound at 2.1 billion)",
                        "The oldest unfrozen transaction or multixact ID is more than halfway to wraparound, when PostgreSQL stops "
                                + "accepting writes. The diagnosis shows the tables and what holds freezing back.",
                        "docs/playbooks/pg-wraparound.md",
                        List.of(series(PG, xid, "1.2e9x60"), series(PG, mxid, "5x60")),
                        List.of(series(PG, xid, "2e8x60"), series(PG, mxid, "5x60")),
                        "added: wraparound age"),
                new AlertRule("PostgresqlLowCacheHitRatio", PG, hit.on(PG) + " < 0.9", Duration.ofMinutes(10), "warning",
                        "PostgreSQL {{ $labels.target }} finds less than 90% of its reads in shared buffers",
                        "Block reads that missed shared_buffers: the working set outgrew memory, or a scan reads a large table.",
                        "docs/playbooks/pg-cache-hit-ratio.md",
                        List.of(series(PG, hit, "0.7x60")), List.of(series(PG, hit, "0.99x60")),
                        "pgwatch and the postgres-mixin's cache hit ratio"),
                new AlertRule("PostgresqlTooManyTempFiles", PG, "increase(" + tempFiles.on(PG) + "[10m]) > 100", Duration.ZERO,
                        "warning",
                        "PostgreSQL {{ $labels.target }} wrote more than 100 temporary files in 10 minutes",
                        "Sorts and hashes spilling to disk (work_mem too small for them).",
                        "docs/playbooks/pg-temp-files.md",
                        List.of(series(PG, tempFiles, "0+50x60")), List.of(series(PG, tempFiles, "0+1x60")),
                        "added: temporary files"),
                new AlertRule("PostgresqlCheckpointsTooFrequent", PG, "increase(" + checkpoints.on(PG) + "[10m]) > 2", Duration.ZERO,
                        "warning",
                        "PostgreSQL {{ $labels.target }} requested more than 2 checkpoints in 10 minutes",
                        "Checkpoints forced by WAL volume rather than by checkpoint_timeout: max_wal_size is too small for the "
                                + "write load.",
                        "docs/playbooks/pg-checkpoints.md",
                        List.of(series(PG, checkpoints, "0+1x60")), List.of(series(PG, checkpoints, "4x60")),
                        "added: requested checkpoints"));
    }

    static List<AlertRule> sqlServer() {
        Metric deadlocks = Metric.counter("server-stats", "deadlocks");
        Metric blocked = Metric.gauge("blocking", "blocked_sessions");
        Metric logUsed = Metric.gauge("log-space", "max_percent_log_used");
        Metric tempdb = Metric.gauge("tempdb", "tempdb_used_percent");
        Metric snapshot = Metric.gauge("tempdb", "oldest_snapshot_transaction_seconds");
        Metric cpu = Metric.gauge("cpu", "sql_cpu_percent_avg");
        Metric workers = Metric.gauge("workers", "workers_used_percent");
        Metric sessions = Metric.gauge("workers", "session_percent_of_limit");
        return List.of(
                down("SqlserverDown", MSSQL, "docs/sqlserver.md#mssql_connection_failed"),
                new AlertRule("SqlserverDeadlock", MSSQL, "increase(" + deadlocks.on(MSSQL) + "[5m]) > 0", Duration.ZERO, "warning",
                        "SQL Server {{ $labels.target }} had deadlocks in the last 5 minutes",
                        "The instance's deadlock counter went up: transactions were chosen as victims. The diagnosis reads the "
                                + "deadlock graphs of system_health.",
                        "docs/sqlserver.md#mssql_deadlocks",
                        List.of(series(MSSQL, deadlocks, "0+1x60")), List.of(series(MSSQL, deadlocks, "7x60")),
                        "awesome-prometheus-alerts SqlserverDeadlock"),
                new AlertRule("SqlserverBlockedProcesses", MSSQL, blocked.on(MSSQL) + " > 0", Duration.ofMinutes(1), "critical",
                        "SQL Server {{ $labels.target }}: sessions are blocked behind a head blocker",
                        "A blocking chain: the diagnosis names the head blocker's session_id and the statement to end it.",
                        "docs/sqlserver.md#mssql_blocking",
                        List.of(series(MSSQL, blocked, "3x60")), List.of(series(MSSQL, blocked, "0x60")),
                        "added: a blocking chain with its head blocker"),
                new AlertRule("SqlserverLogSpace", MSSQL, logUsed.on(MSSQL) + " > 80", Duration.ofMinutes(5), "warning",
                        "SQL Server {{ $labels.target }}: a transaction log is more than 80% full",
                        "The fullest database log; the diagnosis says what it waits for before it can be reused.",
                        "docs/sqlserver.md#mssql_log_space",
                        List.of(series(MSSQL, logUsed, "92x60")), List.of(series(MSSQL, logUsed, "10x60")),
                        "sql_exporter's log space rule"),
                new AlertRule("SqlserverTempdbFull", MSSQL, tempdb.on(MSSQL) + " > 85", Duration.ofMinutes(5), "warning",
                        "SQL Server {{ $labels.target }}: tempdb is more than 85% used",
                        "tempdb's used space; the version store and old snapshots are the usual cause.",
                        "docs/sqlserver.md#mssql_tempdb",
                        List.of(series(MSSQL, tempdb, "95x60")), List.of(series(MSSQL, tempdb, "20x60")),
                        "added: tempdb space"),
                new AlertRule("SqlserverLongRunningTransaction", MSSQL, snapshot.on(MSSQL) + " > 3600", Duration.ofMinutes(5),
                        "warning",
                        "SQL Server {{ $labels.target }} has a snapshot transaction open for more than an hour",
                        "An old snapshot transaction keeps the version store in tempdb from shrinking.",
                        "docs/sqlserver.md#mssql_tempdb",
                        List.of(series(MSSQL, snapshot, "7200x60")), List.of(series(MSSQL, snapshot, "5x60")),
                        "added: long transactions"),
                new AlertRule("SqlserverHighCpu", MSSQL, cpu.on(MSSQL) + " > 85", Duration.ofMinutes(5), "warning",
                        "SQL Server {{ $labels.target }} uses more than 85% CPU",
                        "SQL Server's own CPU use, averaged over the ring buffer's recent samples.",
                        "docs/sqlserver.md#mssql_cpu",
                        List.of(series(MSSQL, cpu, "97x60")), List.of(series(MSSQL, cpu, "20x60")),
                        "awesome-prometheus-alerts' CPU rules"),
                new AlertRule("SqlserverWorkerThreadsExhausted", MSSQL, workers.on(MSSQL) + " > 90", Duration.ofMinutes(2), "critical",
                        "SQL Server {{ $labels.target }} uses more than 90% of its worker threads",
                        "When workers run out, new requests wait (THREADPOOL) and logins time out.",
                        "docs/sqlserver.md#mssql_workers",
                        List.of(series(MSSQL, workers, "96x60")), List.of(series(MSSQL, workers, "30x60")),
                        "added: worker threads"),
                new AlertRule("SqlserverTooManyConnections", MSSQL, sessions.on(MSSQL) + " > 80", Duration.ofMinutes(2), "warning",
                        "SQL Server {{ $labels.target }} has more than 80% of its user connections in use",
                        "Connection headroom: sessions against the user connections limit.",
                        "docs/sqlserver.md#mssql_workers",
                        List.of(series(MSSQL, sessions, "90x60")), List.of(series(MSSQL, sessions, "10x60")),
                        "added: connection headroom"));
    }

    static List<AlertRule> mongo() {
        Metric lag = Metric.gauge("replication", "max_lag_seconds");
        Metric healthy = Metric.gauge("replication", "healthy_members");
        Metric members = Metric.gauge("replication", "members");
        Metric window = Metric.gauge("oplog-window", "oplog_window_hours");
        Metric used = Metric.gauge("connections", "used_ratio");
        Metric queuedReaders = Metric.gauge("tickets", "queued_readers");
        Metric queuedWriters = Metric.gauge("tickets", "queued_writers");
        Metric cache = Metric.gauge("wiredtiger-cache", "cache_used_ratio");
        Metric waiting = Metric.gauge("lock-waits", "waiting_for_lock");
        Metric transaction = Metric.gauge("transactions", "oldest_transaction_seconds");
        Metric longest = Metric.gauge("slow-operations", "longest_operation_seconds");
        return List.of(
                down("MongodbDown", MONGO, "docs/mongodb.md#connectivity"),
                new AlertRule("MongodbReplicationLag", MONGO, lag.on(MONGO) + " > 10", Duration.ofMinutes(1), "critical",
                        "MongoDB {{ $labels.target }}: a secondary is more than 10 s behind the primary",
                        "The largest optime lag of the replica set's members.",
                        "docs/mongodb.md",
                        List.of(series(MONGO, lag, "60x60")), List.of(series(MONGO, lag, "0x60")),
                        "awesome-prometheus-alerts MongodbReplicationLag"),
                new AlertRule("MongodbReplicaMemberUnhealthy", MONGO, healthy.on(MONGO) + " < " + members.on(MONGO),
                        Duration.ofMinutes(1), "critical",
                        "MongoDB {{ $labels.target }}: a replica set member is unhealthy",
                        "Fewer healthy members than members in the replica set's configuration.",
                        "docs/mongodb.md",
                        List.of(series(MONGO, healthy, "2x60"), series(MONGO, members, "3x60")),
                        List.of(series(MONGO, healthy, "3x60"), series(MONGO, members, "3x60")),
                        "awesome-prometheus-alerts MongodbReplicaMemberUnhealthy"),
                new AlertRule("MongodbReplicationHeadroom", MONGO, window.on(MONGO) + " < 24", Duration.ofMinutes(5), "warning",
                        "MongoDB {{ $labels.target }}: the oplog holds less than 24 hours",
                        "A secondary that falls further behind than the oplog window needs a full resync.",
                        "docs/mongodb.md",
                        List.of(series(MONGO, window, "6x60")), List.of(series(MONGO, window, "72x60")),
                        "awesome-prometheus-alerts MongodbReplicationHeadroom"),
                new AlertRule("MongodbTooManyConnections", MONGO, used.on(MONGO) + " > 0.8", Duration.ofMinutes(2), "warning",
                        "MongoDB {{ $labels.target }} uses more than 80% of its connections",
                        "Connection headroom: current connections against current plus available.",
                        "docs/mongodb.md#mongo_connections_near_limit",
                        List.of(series(MONGO, used, "0.9x60")), List.of(series(MONGO, used, "0.1x60")),
                        "awesome-prometheus-alerts MongodbTooManyConnections"),
                new AlertRule("MongodbWiredTigerTicketsLow", MONGO, "(" + queuedReaders.on(MONGO) + " + "
                        + queuedWriters.on(MONGO) + ") > 10", Duration.ofMinutes(2), "warning",
                        "MongoDB {{ $labels.target }} has more than 10 operations queued for a ticket",
                        "Operations waiting for a WiredTiger read or write ticket: the storage engine is saturated.",
                        "docs/mongodb.md",
                        List.of(series(MONGO, queuedReaders, "8x60"), series(MONGO, queuedWriters, "8x60")),
                        List.of(series(MONGO, queuedReaders, "0x60"), series(MONGO, queuedWriters, "1x60")),
                        "awesome-prometheus-alerts MongodbWiredTigerTicketsLow (queued operations)"),
                new AlertRule("MongodbVirtualMemoryUsage", MONGO, cache.on(MONGO) + " > 0.95", Duration.ofMinutes(5), "warning",
                        "MongoDB {{ $labels.target }}: the WiredTiger cache is more than 95% full",
                        "Application threads start evicting pages themselves, and latency rises.",
                        "docs/mongodb.md",
                        List.of(series(MONGO, cache, "0.99x60")), List.of(series(MONGO, cache, "0.5x60")),
                        "awesome-prometheus-alerts MongodbVirtualMemoryUsage (as cache use)"),
                new AlertRule("MongodbLockWaits", MONGO, waiting.on(MONGO) + " > 0", Duration.ofMinutes(1), "critical",
                        "MongoDB {{ $labels.target }}: operations wait for locks behind a head blocker",
                        "The diagnosis names the blocking operation's opid and the killOp to end it.",
                        "docs/mongodb.md#mongo_lock_waits",
                        List.of(series(MONGO, waiting, "4x60")), List.of(series(MONGO, waiting, "0x60")),
                        "added: a blocking chain with its head blocker"),
                new AlertRule("MongodbLongTransaction", MONGO, transaction.on(MONGO) + " > 60", Duration.ofMinutes(2), "warning",
                        "MongoDB {{ $labels.target }} has a transaction open for more than a minute",
                        "Multi-document transactions hold their locks and WiredTiger snapshots until they end.",
                        "docs/mongodb.md#mongo_long_transaction",
                        List.of(series(MONGO, transaction, "300x60")), List.of(series(MONGO, transaction, "1x60")),
                        "added: long transactions"),
                new AlertRule("MongodbHighLatency", MONGO, longest.on(MONGO) + " > 60", Duration.ofMinutes(2), "warning",
                        "MongoDB {{ $labels.target }} runs an operation for more than a minute",
                        "The longest active operation (currentOp).",
                        "docs/mongodb.md",
                        List.of(series(MONGO, longest, "120x60")), List.of(series(MONGO, longest, "0.1x60")),
                        "awesome-prometheus-alerts MongodbHighLatency (as slow operations)"));
    }

    static List<AlertRule> snowflake() {
        Metric blocked = Metric.gauge("blocked-transactions", "blocked_queries");
        Metric queue = Metric.gauge("queued-queries", "longest_queue_seconds");
        Metric load = Metric.gauge("warehouse-load", "max_avg_queued_load");
        Metric longest = Metric.gauge("long-queries", "longest_query_seconds");
        Metric spilled = Metric.gauge("spilling", "bytes_spilled_remote");
        return List.of(
                down("SnowflakeDown", SNOWFLAKE, "docs/snowflake.md"),
                new AlertRule("SnowflakeQueriesBlocked", SNOWFLAKE, blocked.on(SNOWFLAKE) + " > 0", Duration.ofMinutes(2), "critical",
                        "Snowflake {{ $labels.target }}: queries are blocked by another transaction's locks",
                        "The diagnosis names the blocking transaction (head blocker) and the SYSTEM$ABORT_TRANSACTION to end it.",
                        "docs/snowflake.md",
                        List.of(series(SNOWFLAKE, blocked, "2x60")), List.of(series(SNOWFLAKE, blocked, "0x60")),
                        "added: a blocking chain with its head blocker"),
                new AlertRule("SnowflakeWarehouseQueued", SNOWFLAKE, queue.on(SNOWFLAKE) + " > 60", Duration.ofMinutes(5), "warning",
                        "Snowflake {{ $labels.target }}: a query has waited in a warehouse queue for more than a minute",
                        "Queued for overload or provisioning: the warehouse is too small or suspended.",
                        "docs/snowflake.md",
                        List.of(series(SNOWFLAKE, queue, "300x60")), List.of(series(SNOWFLAKE, queue, "0x60")),
                        "added: queued queries (connection headroom's equivalent)"),
                new AlertRule("SnowflakeWarehouseOverloaded", SNOWFLAKE, load.on(SNOWFLAKE) + " > 1", Duration.ofMinutes(10),
                        "warning",
                        "Snowflake {{ $labels.target }}: a warehouse's queued load is above 1",
                        "WAREHOUSE_LOAD_HISTORY's average queued load: more work than the warehouse runs at once.",
                        "docs/snowflake.md",
                        List.of(series(SNOWFLAKE, load, "2.5x60")), List.of(series(SNOWFLAKE, load, "0.1x60")),
                        "added: warehouse load"),
                new AlertRule("SnowflakeLongQueries", SNOWFLAKE, longest.on(SNOWFLAKE) + " > 3600", Duration.ofMinutes(5), "warning",
                        "Snowflake {{ $labels.target }} runs a query for more than an hour",
                        "The longest running query: it holds its warehouse and its credits.",
                        "docs/snowflake.md",
                        List.of(series(SNOWFLAKE, longest, "7200x60")), List.of(series(SNOWFLAKE, longest, "30x60")),
                        "added: long queries"),
                new AlertRule("SnowflakeRemoteSpilling", SNOWFLAKE, spilled.on(SNOWFLAKE) + " > 0", Duration.ofMinutes(10), "warning",
                        "Snowflake {{ $labels.target }}: recent queries spilled to remote storage",
                        "Remote spilling is the slowest kind: the warehouse is too small for these queries.",
                        "docs/snowflake.md",
                        List.of(series(SNOWFLAKE, spilled, "1e9x60")), List.of(series(SNOWFLAKE, spilled, "0x60")),
                        "added: spilling"));
    }

    /** The engine does not answer: serve's last run opened no session. */
    private static AlertRule down(String name, String engine, String playbook) {
        String series = "dbtool_target_up{target=\"" + EXAMPLE_TARGET + "\",engine=\"" + engine + "\"}";
        return new AlertRule(name, engine, "dbtool_target_up{engine=\"" + engine + "\"} == 0", Duration.ofMinutes(1), "critical",
                Engines.title(engine) + " {{ $labels.target }} does not answer",
                "dbtool serve's last runs could not open a session. The diagnosis says where the connection stopped (DNS, TCP, "
                        + "TLS, login).",
                playbook, List.of(new Series(series, "0x60")), List.of(new Series(series, "1x60")),
                "awesome-prometheus-alerts' Down rule");
    }

    /** dbtool serve stopped measuring the target (its runs hang, or serve is down). */
    private static AlertRule notMeasured(String name, String engine, String playbook) {
        String series = "dbtool_target_last_run_timestamp_seconds{target=\"" + EXAMPLE_TARGET + "\",engine=\"" + engine + "\"}";
        return new AlertRule(name, engine, "time() - dbtool_target_last_run_timestamp_seconds{engine=\"" + engine + "\"} > 300",
                Duration.ZERO, "warning",
                Engines.title(engine) + " {{ $labels.target }} has not been measured for 5 minutes",
                "dbtool serve's last run of this target ended more than 5 minutes ago: its runs hang, or the exporter stopped.",
                playbook, List.of(new Series(series, "0x60")), List.of(new Series(series, "0+60x60")),
                "awesome-prometheus-alerts PostgresqlExporterError");
    }

    private static Series series(String engine, Metric metric, String values) {
        return new Series(metric.series() + "{target=\"" + EXAMPLE_TARGET + "\",engine=\"" + engine + "\",check=\""
                + metric.check() + "\"}", values);
    }
}
