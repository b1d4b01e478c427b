package dbtool.plugin.mariadb.checks;

import static dbtool.testkit.CheckFixtures.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dbtool.spi.CheckResult;
import dbtool.spi.Finding;
import dbtool.spi.Severity;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.sf.jsqlparser.parser.CCJSqlParserUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * MySQL 8's variants, which no server here can run: the rows follow what sys.innodb_lock_waits,
 * performance_schema.metadata_locks and SHOW REPLICA STATUS return on MySQL 8.0/8.4 (column names
 * and values from the MySQL 8.4 reference manual), and the query texts are parsed.
 */
class MySqlFixturesTest {

    @ParameterizedTest
    @ValueSource(strings = {"MYSQL_SYS", "MYSQL_PERFORMANCE_SCHEMA", "MARIADB", "SESSIONS", "LOCKS", "LONG", "BY_USER"})
    void queriesParse(String name) throws Exception {
        String sql = switch (name) {
            case "MYSQL_SYS" -> RowLockWaitsCheck.MYSQL_SYS;
            case "MYSQL_PERFORMANCE_SCHEMA" -> RowLockWaitsCheck.MYSQL_PERFORMANCE_SCHEMA;
            case "MARIADB" -> RowLockWaitsCheck.MARIADB;
            case "SESSIONS" -> Sessions.SQL;
            case "LOCKS" -> MetadataLocksCheck.LOCKS;
            case "LONG" -> LongQueriesCheck.RUNNING;
            default -> ConnectionHeadroomCheck.BY_USER;
        };
        CCJSqlParserUtil.parse(sql);
    }

    @Test
    void sysInnodbLockWaitsRowsMakeAForestWithTheRunningHeadAtTheRoot() {
        // sys.innodb_lock_waits on MySQL 8.0.40: 12 waits for 7, 13 waits for 7 and for 12 (the lock queue).
        List<Map<String, Object>> waits = List.of(
                row("waiting_id", 12L, "blocking_id", 7L, "wait_seconds", 14L, "locked_table", "`shop`.`accounts`",
                        "locked_index", "PRIMARY", "lock_mode", "X,REC_NOT_GAP"),
                row("waiting_id", 13L, "blocking_id", 7L, "wait_seconds", 9L, "locked_table", "`shop`.`accounts`",
                        "locked_index", "PRIMARY", "lock_mode", "X,REC_NOT_GAP"),
                row("waiting_id", 13L, "blocking_id", 12L, "wait_seconds", 9L, "locked_table", "`shop`.`accounts`",
                        "locked_index", "PRIMARY", "lock_mode", "X,REC_NOT_GAP"));
        Map<Long, Map<String, Object>> sessions = Map.of(
                7L, session(7, "Query", 20, "executing", "UPDATE accounts SET balance = 0", 20L),
                12L, session(12, "Query", 14, "updating", "UPDATE accounts SET balance = 1 WHERE id = 1", 14L),
                13L, session(13, "Query", 9, "updating", "UPDATE accounts SET balance = 2 WHERE id = 1", 9L));

        CheckResult result = RowLockWaitsCheck.interpret(waits, sessions, 5, 60).build();
        Finding chain = result.findings().getFirst();

        assertEquals("MARIADB_BLOCKING_CHAIN", chain.code());
        assertEquals(List.of(7L), chain.evidence().get("headBlockers"));
        assertEquals(2, chain.evidence().get("blockedSessions"));
        assertEquals(Severity.WARNING, chain.severity(), "a running head, two waiters, 14 s: not yet critical");
        assertTrue(chain.recommendation().startsWith("KILL QUERY 7;"), chain.recommendation());
    }

    @Test
    void idleHeadOnMySqlIsCritical() {
        List<Map<String, Object>> waits = List.of(row("waiting_id", 21L, "blocking_id", 20L, "wait_seconds", 3L,
                "locked_table", "`shop`.`t`", "locked_index", "PRIMARY", "lock_mode", "X"));
        Map<Long, Map<String, Object>> sessions = Map.of(20L, session(20, "Sleep", 300, "", null, 310L),
                21L, session(21, "Query", 3, "updating", "DELETE FROM t WHERE id = 3", 3L));

        Finding chain = RowLockWaitsCheck.interpret(waits, sessions, 5, 60).build().findings().getFirst();

        assertEquals(Severity.CRITICAL, chain.severity());
        assertTrue(chain.recommendation().startsWith("KILL 20;"), chain.recommendation());
    }

    @Test
    void performanceSchemaMetadataLocksOfMySqlFollowTheCompatibilityRules() {
        // performance_schema.metadata_locks on MySQL 8.4: session 30 read the table in an open transaction
        // (SHARED_READ, granted), 31 runs ALTER TABLE (SHARED_UPGRADABLE granted, EXCLUSIVE pending),
        // 32 inserts (SHARED_WRITE pending: queued behind the ALTER's EXCLUSIVE), 33 reads another table.
        List<Map<String, Object>> locks = List.of(
                lock(30, "TABLE", "shop", "orders", "SHARED_READ", "GRANTED"),
                lock(31, "SCHEMA", "shop", null, "INTENTION_EXCLUSIVE", "GRANTED"),
                lock(31, "TABLE", "shop", "orders", "SHARED_UPGRADABLE", "GRANTED"),
                lock(31, "TABLE", "shop", "orders", "EXCLUSIVE", "PENDING"),
                lock(32, "TABLE", "shop", "orders", "SHARED_WRITE", "PENDING"),
                lock(33, "TABLE", "shop", "customers", "SHARED_READ", "GRANTED"));
        Map<Long, Map<String, Object>> sessions = Map.of(
                30L, session(30, "Sleep", 120, "", null, 125L),
                31L, session(31, "Query", 40, "Waiting for table metadata lock", "ALTER TABLE orders ADD COLUMN x INT", null),
                32L, session(32, "Query", 10, "Waiting for table metadata lock", "INSERT INTO orders VALUES (9)", null),
                33L, session(33, "Query", 1, "executing", "SELECT * FROM customers", null));

        Finding wait = MetadataLocksCheck.fromPerformanceSchema(locks, sessions, 5, 60).build().findings().getFirst();

        assertEquals(List.of(30L), wait.evidence().get("headBlockers"));
        assertEquals(2, wait.evidence().get("blockedSessions"));
        assertEquals(List.of("shop.orders"), wait.evidence().get("objects"));
        assertEquals(Severity.CRITICAL, wait.severity(), "the head is idle in transaction");
    }

    @Test
    void metadataLockCompatibility() {
        assertTrue(MetadataLockConflicts.waitsForGranted("EXCLUSIVE", "SHARED_READ"));
        assertTrue(MetadataLockConflicts.queuesBehindPending("SHARED_READ", "EXCLUSIVE"));
        assertTrue(!MetadataLockConflicts.waitsForGranted("SHARED_READ", "SHARED_UPGRADABLE"));
        assertTrue(!MetadataLockConflicts.waitsForGranted("SHARED_WRITE", "SHARED_READ"));
        assertTrue(MetadataLockConflicts.waitsForGranted("SHARED_WRITE", "SHARED_READ_ONLY"), "LOCK TABLES ... READ blocks writers");
        assertTrue(!MetadataLockConflicts.queuesBehindPending("EXCLUSIVE", "SHARED_READ"));
        assertTrue(MetadataLockConflicts.waitsForGranted("INTENTION_EXCLUSIVE", "SHARED"), "FLUSH TABLES WITH READ LOCK blocks DDL");
        assertTrue(!MetadataLockConflicts.waitsForGranted("INTENTION_EXCLUSIVE", "INTENTION_EXCLUSIVE"));
    }

    @Test
    void showReplicaStatusOfMySql84WithABrokenSqlThread() {
        Map<String, Object> row = row("Replica_IO_State", "Waiting for source to send event", "Source_Host", "db1.example.com",
                "Source_Port", 3306L, "Replica_IO_Running", "Yes", "Replica_SQL_Running", "No", "Last_SQL_Errno", 1062L,
                "Last_SQL_Error", "Coordinator stopped because there were error(s) in the worker(s). Duplicate entry '7' for key 'PRIMARY'",
                "Last_IO_Errno", 0L, "Last_IO_Error", "", "Seconds_Behind_Source", null, "Channel_Name", "",
                "Executed_Gtid_Set", "3e11fa47-71ca-11e1-9e33-c80aa9429562:1-77");

        CheckResult result = ReplicationCheck.interpret(List.of(row), 60, 600).build();
        Finding broken = result.findings().getFirst();

        assertEquals("MARIADB_REPLICATION_BROKEN", broken.code());
        assertEquals(Severity.CRITICAL, broken.severity());
        assertTrue(broken.title().contains("SQL thread no"), broken.title());
        assertTrue(broken.recommendation().contains("START REPLICA;"), broken.recommendation());
        assertEquals(1062L, broken.evidence().get("lastSqlErrno"));
    }

    @Test
    void showReplicaStatusOfMySql8WithLag() {
        Map<String, Object> row = row("Source_Host", "db1", "Source_Port", 3306L, "Replica_IO_Running", "Yes",
                "Replica_SQL_Running", "Yes", "Seconds_Behind_Source", 900L, "Last_IO_Error", "", "Last_SQL_Error", "",
                "Channel_Name", "");

        CheckResult result = ReplicationCheck.interpret(List.of(row), 60, 600).build();

        assertEquals("MARIADB_REPLICATION_LAG", result.findings().getFirst().code());
        assertEquals(Severity.CRITICAL, result.findings().getFirst().severity());
        assertEquals(900L, ((Number) result.metrics().get("replication_lag_seconds")).longValue());
    }

    @Test
    void mySqlSessionLimitsUseMaxExecutionTimeInMilliseconds() {
        assertEquals(List.of("SET SESSION max_execution_time = 5000, innodb_lock_wait_timeout = 1, lock_wait_timeout = 1",
                        "SET SESSION TRANSACTION READ ONLY"),
                dbtool.plugin.mariadb.Flavour.MYSQL.safetyStatements(5000, 500));
        assertEquals("SET SESSION max_statement_time = 2.500, innodb_lock_wait_timeout = 2, lock_wait_timeout = 2",
                dbtool.plugin.mariadb.Flavour.MARIADB.safetyStatements(2500, 1200).getFirst());
    }

    @Test
    void bufferPoolHitRatioAndFreePageWaits() {
        Map<String, String> status = Map.of("Innodb_buffer_pool_read_requests", "1000000", "Innodb_buffer_pool_reads", "80000",
                "Innodb_buffer_pool_pages_total", "8192", "Innodb_buffer_pool_pages_free", "0",
                "Innodb_buffer_pool_pages_dirty", "4000", "Innodb_buffer_pool_wait_free", "12");

        CheckResult result = BufferPoolCheck.interpret(status, Map.of("innodb_buffer_pool_size", "134217728"), 0.95, 100_000).build();

        assertEquals(List.of("MARIADB_BUFFER_POOL_HIT_RATIO", "MARIADB_BUFFER_POOL_WAIT_FREE"),
                result.findings().stream().map(Finding::code).toList());
        assertEquals(0.92, ((Number) result.metrics().get("buffer_pool_hit_ratio")).doubleValue(), 1e-9);
    }

    @Test
    void connectionsNearTheLimitLeaveDbtoolOut() {
        CheckResult result = ConnectionHeadroomCheck.interpret(Map.of("max_connections", "100"),
                Map.of("Threads_connected", "97", "Threads_running", "3", "Max_used_connections", "101",
                        "Connection_errors_max_connections", "4"),
                List.of(Map.of("user", "app", "connections", 90L, "idle", 88L)), 0.8, 0.95).build();

        Finding near = result.findings().getFirst();
        assertEquals(96L, near.evidence().get("used"));
        assertEquals(Severity.CRITICAL, near.severity(), "96 of 100 is past 95 %");
    }

    private static Map<String, Object> session(long id, String command, long seconds, String state, String query, Long trxSeconds) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", id);
        row.put("user", "app");
        row.put("host", "10.0.0.5:51234");
        row.put("db", "shop");
        row.put("command", command);
        row.put("seconds", seconds);
        row.put("state", state);
        row.put("query", query);
        row.put("trx_state", trxSeconds == null ? null : "RUNNING");
        row.put("trx_seconds", trxSeconds);
        row.put("rows_locked", trxSeconds == null ? null : 1L);
        row.put("rows_modified", trxSeconds == null ? null : 1L);
        return row;
    }

    private static Map<String, Object> lock(long id, String type, String schema, String name, String lockType, String status) {
        return row("id", id, "object_type", type, "object_schema", schema, "object_name", name, "lock_type", lockType,
                "lock_status", status);
    }
}
