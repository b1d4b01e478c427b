package dbtool.plugin.snowflake.checks;

import static dbtool.plugin.snowflake.checks.Fixtures.NOW;
import static dbtool.testkit.CheckFixtures.context;
import static dbtool.testkit.CheckFixtures.require;
import static dbtool.testkit.CheckFixtures.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dbtool.spi.CheckResult;
import dbtool.spi.Finding;
import dbtool.spi.Severity;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** WAREHOUSE_LOAD_HISTORY, queued and spilling QUERY_HISTORY rows, metering and resource monitors, read into findings. */
class ResourcesInterpretationTest {

    private static Map<String, Object> load(String warehouse, double running, double queued, double provisioning, double blocked) {
        return row("WAREHOUSE_NAME", warehouse, "START_TIME", NOW.minusSeconds(600), "END_TIME", NOW.minusSeconds(300),
                "AVG_RUNNING", running, "AVG_QUEUED_LOAD", queued, "AVG_QUEUED_PROVISIONING", provisioning, "AVG_BLOCKED", blocked);
    }

    private static Map<String, Object> warehouse(String name, String size, long maxClusters) {
        return row("name", name, "state", "STARTED", "size", size, "min_cluster_count", 1L, "max_cluster_count", maxClusters, "is_current", "N");
    }

    @Test
    void lightLoadIsHealthy() {
        CheckResult result = WarehouseLoadCheck.interpret(List.of(load("WH", 2, 0.1, 0, 0), load("WH", 3, 0, 0, 0)), List.of(), context());
        assertTrue(result.findings().isEmpty(), result.findings().toString());
        assertEquals(0.05, result.metrics().get("max_avg_queued_load"));
    }

    @Test
    void queuedLoadIsAWarningThenCriticalWithTheStatementThatAddsCapacity() {
        Finding warning = require(WarehouseLoadCheck.interpret(List.of(load("ETL_WH", 8, 1, 0, 0)), List.of(warehouse("ETL_WH", "Medium", 2)),
                context()), "SF_WAREHOUSE_QUEUED_LOAD");
        assertEquals(Severity.WARNING, warning.severity());
        assertTrue(warning.recommendation().startsWith("ALTER WAREHOUSE ETL_WH SET MAX_CLUSTER_COUNT = 3;"), warning.recommendation());
        assertTrue(warning.recommendation().contains("SET WAREHOUSE_SIZE = 'LARGE';"), warning.recommendation());
        Finding critical = require(WarehouseLoadCheck.interpret(List.of(load("ETL_WH", 8, 2.5, 0, 0)), List.of(), context()),
                "SF_WAREHOUSE_QUEUED_LOAD");
        assertEquals(Severity.CRITICAL, critical.severity());
        assertTrue(critical.recommendation().contains("size not visible"), critical.recommendation());
        assertEquals(Severity.WARNING, require(WarehouseLoadCheck.interpret(List.of(load("ETL_WH", 8, 2.5, 0, 0)), List.of(),
                context(Map.of("queued_load_critical", "5"))), "SF_WAREHOUSE_QUEUED_LOAD").severity());
    }

    @Test
    void theLargestSizeCannotGrow() {
        assertEquals("ALTER WAREHOUSE BIG SET MAX_CLUSTER_COUNT = 2;  -- multi-cluster (Enterprise Edition)",
                WarehouseLoadCheck.resize("BIG", List.of(warehouse("BIG", "6X-Large", 1))));
    }

    @Test
    void provisioningAndBlockedLoadAreWarnings() {
        CheckResult result = WarehouseLoadCheck.interpret(List.of(load("WH", 1, 0, 0.8, 0.5)), List.of(), context());
        Finding provisioning = require(result, "SF_WAREHOUSE_QUEUED_PROVISIONING");
        assertEquals(Severity.WARNING, provisioning.severity());
        assertTrue(provisioning.recommendation().startsWith("ALTER WAREHOUSE WH SET AUTO_SUSPEND = 600;"));
        assertEquals(Severity.WARNING, require(result, "SF_WAREHOUSE_BLOCKED_LOAD").severity());
    }

    private static Map<String, Object> queued(String status, long seconds) {
        return row("QUERY_ID", "q" + seconds, "USER_NAME", "BI", "WAREHOUSE_NAME", "WH", "WAREHOUSE_SIZE", "Small",
                "EXECUTION_STATUS", status, "START_TIME", NOW.minusSeconds(seconds), "ELAPSED_SECONDS", seconds, "QUERY_TEXT", "SELECT 1");
    }

    @Test
    void queuedQueries() {
        assertTrue(QueuedQueriesCheck.interpret(List.of(), context()).findings().isEmpty());
        CheckResult few = QueuedQueriesCheck.interpret(List.of(queued("QUEUED", 30), queued("resuming_warehouse", 20)), context());
        assertEquals(Severity.WARNING, require(few, "SF_QUERIES_QUEUED_OVERLOAD").severity());
        assertEquals(Severity.INFO, require(few, "SF_QUERIES_QUEUED_PROVISIONING").severity(), "status matched regardless of case");
        List<Map<String, Object>> many = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            many.add(queued("QUEUED", 10 + i));
        }
        assertEquals(Severity.CRITICAL, require(QueuedQueriesCheck.interpret(many, context()), "SF_QUERIES_QUEUED_OVERLOAD").severity());
        assertEquals(Severity.CRITICAL, require(QueuedQueriesCheck.interpret(List.of(queued("QUEUED", 400)), context()),
                "SF_QUERIES_QUEUED_OVERLOAD").severity());
        assertEquals(Severity.WARNING, require(QueuedQueriesCheck.interpret(List.of(queued("RESUMING_WAREHOUSE", 90)), context()),
                "SF_QUERIES_QUEUED_PROVISIONING").severity());
    }

    private static Map<String, Object> spill(long local, long remote) {
        return row("QUERY_ID", "q", "USER_NAME", "ETL", "WAREHOUSE_NAME", "ETL_WH", "WAREHOUSE_SIZE", "Small", "TOTAL_ELAPSED_TIME", 600_000L,
                "BYTES_SPILLED_TO_LOCAL_STORAGE", local, "BYTES_SPILLED_TO_REMOTE_STORAGE", remote, "QUERY_TEXT", "SELECT ...");
    }

    @Test
    void spilling() {
        assertTrue(SpillingCheck.interpret(List.of(), context()).findings().isEmpty());
        assertTrue(SpillingCheck.interpret(List.of(spill(1024, 0)), context()).findings().isEmpty(), "a little local spilling is normal");
        Finding remote = require(SpillingCheck.interpret(List.of(spill(50L << 30, 5L << 30)), context()), "SF_SPILLING_REMOTE");
        assertEquals(Severity.WARNING, remote.severity());
        assertTrue(remote.title().contains("5.0 GB to remote storage"), remote.title());
        assertTrue(remote.recommendation().startsWith("ALTER WAREHOUSE ETL_WH SET WAREHOUSE_SIZE = 'MEDIUM';"), remote.recommendation());
        assertEquals(Severity.INFO, require(SpillingCheck.interpret(List.of(spill(2L << 30, 0)), context()), "SF_SPILLING_LOCAL").severity());
        assertEquals(Severity.CRITICAL, require(SpillingCheck.interpret(List.of(spill(0, 200L << 30)), context()), "SF_SPILLING_REMOTE").severity());
    }

    private static Map<String, Object> monitor(String name, double quota, double used, String notify, String suspend) {
        return row("name", name, "credit_quota", quota, "used_credits", used, "remaining_credits", quota - used, "level", "ACCOUNT",
                "frequency", "MONTHLY", "start_time", NOW.minusSeconds(86400 * 10), "end_time", null, "notify_at", notify,
                "suspend_at", suspend, "suspend_immediately_at", null);
    }

    @Test
    void creditsAndResourceMonitors() {
        List<Map<String, Object>> credits = List.of(row("WAREHOUSE_NAME", "ETL_WH", "CREDITS_USED", 12.5), row("WAREHOUSE_NAME", "BI_WH", "CREDITS_USED", 3.25));
        CheckResult healthy = CreditsCheck.interpret(credits, List.of(monitor("MONTHLY", 1000, 300, "75%", "100%")), null, context());
        Finding today = require(healthy, "SF_CREDITS_TODAY");
        assertEquals(Severity.INFO, today.severity());
        assertEquals(15.75, healthy.metrics().get("credits_today"));
        assertTrue(today.title().contains("most by ETL_WH"), today.title());

        Finding near = require(CreditsCheck.interpret(credits, List.of(monitor("MONTHLY", 1000, 800, "75%", "100%")), null, context()),
                "SF_RESOURCE_MONITOR_NEAR_QUOTA");
        assertEquals(Severity.WARNING, near.severity());
        assertTrue(near.recommendation().contains("ALTER RESOURCE MONITOR MONTHLY SET CREDIT_QUOTA = 1250;"), near.recommendation());

        assertEquals(Severity.CRITICAL, require(CreditsCheck.interpret(credits, List.of(monitor("MONTHLY", 100, 100, null, "100%")), null,
                context()), "SF_RESOURCE_MONITOR_SUSPENDED").severity());
        assertTrue(require(CreditsCheck.interpret(credits, List.of(), null, context()), "SF_CREDITS_TODAY").detail()
                .contains("No resource monitor is visible"));
        assertTrue(require(CreditsCheck.interpret(credits, List.of(), "Insufficient privileges", context()), "SF_CREDITS_TODAY").detail()
                .contains("could not be read: Insufficient privileges"));
    }
}
