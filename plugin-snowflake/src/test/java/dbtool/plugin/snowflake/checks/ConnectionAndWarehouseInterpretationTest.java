package dbtool.plugin.snowflake.checks;

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

/** The session context functions and SHOW WAREHOUSES rows, read into findings. */
class ConnectionAndWarehouseInterpretationTest {

    private static CheckResult session(String role, String warehouse, String database) {
        List<Map<String, Object>> stages = new ArrayList<>(List.of(Map.of("stage", "login", "ms", 120L, "result", "ok")));
        return ConnectionCheck.interpret(row("ACCOUNT", "XY12345", "REGION", "AWS_EU_CENTRAL_1", "USER_NAME", "MONITOR", "ROLE_NAME", role,
                "WAREHOUSE_NAME", warehouse, "DATABASE_NAME", database, "SERVER_VERSION", "9.38.1"), stages, "4.4.1", "key-pair", CheckResult.builder());
    }

    @Test
    void aHealthySessionIsOneInfoWithVersionsRoleAndWarehouse() {
        CheckResult result = session("MONITOR_RO", "DIAG_WH", "DIAG");
        assertEquals(Severity.OK, result.status());
        assertEquals(1, result.findings().size());
        Finding connected = require(result, "SF_CONNECTED");
        assertEquals("Snowflake JDBC 4.4.1", connected.evidence().get("clientVersion"));
        assertEquals("9.38.1", connected.evidence().get("serverVersion"));
        assertTrue(connected.title().contains("role MONITOR_RO, warehouse DIAG_WH"), connected.title());
    }

    @Test
    void noRoleIsAWarningAndNoDatabaseANote() {
        CheckResult result = session(null, null, null);
        assertEquals(Severity.WARNING, require(result, "SF_NO_ROLE").severity());
        assertEquals(Severity.INFO, require(result, "SF_NO_DATABASE").severity());
        assertTrue(require(result, "SF_CONNECTED").title().contains("warehouse none"));
    }

    private static Map<String, Object> warehouse(String name, String state, String current, String autoResume) {
        return row("name", name, "state", state, "type", "STANDARD", "size", "Small", "min_cluster_count", 1L, "max_cluster_count", 2L,
                "started_clusters", 1L, "running", 3L, "queued", 0L, "is_default", "N", "is_current", current, "auto_suspend", 60L,
                "auto_resume", autoResume);
    }

    @Test
    void aStartedWarehouseIsInfo() {
        CheckResult result = WarehouseCheck.interpret(List.of(warehouse("OTHER", "SUSPENDED", "N", "false"), warehouse("DIAG_WH", "STARTED", "Y", "true")));
        assertEquals(Severity.OK, result.status());
        assertTrue(require(result, "SF_WAREHOUSE").title().startsWith("Warehouse DIAG_WH is started"));
    }

    @Test
    void aSuspendedWarehouseIsCriticalOnlyWithoutAutoResume() {
        assertEquals(Severity.INFO, require(WarehouseCheck.interpret(List.of(warehouse("DIAG_WH", "SUSPENDED", "Y", "true"))),
                "SF_WAREHOUSE_SUSPENDED").severity());
        Finding stuck = require(WarehouseCheck.interpret(List.of(warehouse("diag wh", "SUSPENDED", "Y", "false"))), "SF_WAREHOUSE_SUSPENDED");
        assertEquals(Severity.CRITICAL, stuck.severity());
        assertTrue(stuck.recommendation().startsWith("ALTER WAREHOUSE \"diag wh\" RESUME;"), stuck.recommendation());
    }

    @Test
    void aResumingOrResizingWarehouseIsAWarning() {
        assertEquals(Severity.WARNING, require(WarehouseCheck.interpret(List.of(warehouse("DIAG_WH", "RESIZING", "Y", "true"))),
                "SF_WAREHOUSE_TRANSITIONING").severity());
        assertEquals(Severity.WARNING, require(WarehouseCheck.interpret(List.of(warehouse("DIAG_WH", "RESUMING", "Y", "true"))),
                "SF_WAREHOUSE_TRANSITIONING").severity());
    }

    @Test
    void noCurrentWarehouseListsTheVisibleOnes() {
        Finding none = require(WarehouseCheck.interpret(List.of(warehouse("A_WH", "STARTED", "N", "true"))), "SF_NO_WAREHOUSE");
        assertEquals(Severity.WARNING, none.severity());
        assertEquals(List.of("A_WH"), none.evidence().get("visibleWarehouses"));
    }
}
