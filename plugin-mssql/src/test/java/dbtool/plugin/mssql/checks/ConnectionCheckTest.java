package dbtool.plugin.mssql.checks;

import static dbtool.testkit.CheckFixtures.context;
import static dbtool.testkit.CheckFixtures.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dbtool.spi.CheckResult;
import dbtool.spi.Finding;
import dbtool.spi.Severity;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Rows as SERVERPROPERTY/sys.dm_os_sys_info and sys.dm_hadr_availability_replica_states joined to
 * sys.availability_replicas, sys.availability_groups and sys.dm_hadr_availability_group_states return them.
 */
class ConnectionCheckTest {

    static Map<String, Object> server(String version, int engineEdition, long uptime) {
        return row("version", version, "product_level", "RTM", "edition", "Enterprise Edition: Core-based Licensing (64-bit)",
                "engine_edition", engineEdition, "hadr_enabled", 1, "uptime_seconds", uptime);
    }

    static Map<String, Object> replica(String group, String name, boolean local, String role, String health, String connected) {
        return row("ag_name", group, "replica_server_name", name, "is_local", local, "role_desc", role,
                "synchronization_health_desc", health, "connected_state_desc", connected, "primary_replica", "SQL1");
    }

    private static List<String> codes(CheckResult result) {
        return result.findings().stream().map(Finding::code).toList();
    }

    @Test
    void aHealthyPrimaryIsOneInfoWithVersionEditionAndUptime() {
        CheckResult result = ConnectionCheck.interpret(server("15.0.4298.1", 3, 200_000), List.of(
                replica("ag-orders", "SQL1", true, "PRIMARY", "HEALTHY", "CONNECTED"),
                replica("ag-orders", "SQL2", false, "SECONDARY", "HEALTHY", "CONNECTED")), List.of(), context());
        assertEquals(List.of("MSSQL_CONNECTED"), codes(result));
        Finding connected = result.findings().getFirst();
        assertEquals("SQL Server 2019 (15.0.4298.1, RTM, Enterprise Edition: Core-based Licensing (64-bit)), up 2 d 7 h", connected.title());
        assertEquals(false, connected.evidence().get("azureSqlDatabase"));
        assertEquals("PRIMARY", result.metrics().get("ag_role"));
        assertEquals(200_000L, result.metrics().get("uptime_seconds"));
    }

    @Test
    void azureSqlDatabaseIsNamedAsSuch() {
        CheckResult result = ConnectionCheck.interpret(server("12.0.2000.8", 5, 90_000), List.of(), List.of(), context());
        assertTrue(result.findings().getFirst().title().startsWith("Azure SQL Database (12.0.2000.8"), result.findings().getFirst().title());
        assertEquals(List.of("MSSQL_CONNECTED"), codes(result), "12.x is not 'too old' on Azure SQL Database");
    }

    @Test
    void aSecondaryIsSaidWithItsPrimary() {
        CheckResult result = ConnectionCheck.interpret(server("16.0.4135.4", 3, 200_000), List.of(
                replica("ag-orders", "SQL2", true, "SECONDARY", "HEALTHY", "CONNECTED")), List.of(), context());
        Finding secondary = result.findings().get(1);
        assertEquals("MSSQL_AG_SECONDARY", secondary.code());
        assertEquals(Severity.INFO, secondary.severity());
        assertEquals("Connected to a secondary replica of availability group ag-orders; the primary is SQL1", secondary.title());
    }

    @Test
    void aReplicaThatIsNotHealthyIsCriticalAndPartlyHealthyAWarning() {
        CheckResult critical = ConnectionCheck.interpret(server("16.0.4135.4", 3, 200_000), List.of(
                replica("ag-orders", "SQL1", true, "PRIMARY", "PARTIALLY_HEALTHY", "CONNECTED"),
                replica("ag-orders", "SQL2", false, "SECONDARY", "NOT_HEALTHY", "DISCONNECTED")), List.of(), context());
        Finding notHealthy = critical.findings().get(1);
        assertEquals("MSSQL_AG_NOT_HEALTHY", notHealthy.code());
        assertEquals(Severity.CRITICAL, notHealthy.severity());
        assertEquals("Availability group ag-orders: SQL1 PARTIALLY_HEALTHY (CONNECTED), SQL2 NOT_HEALTHY (DISCONNECTED)", notHealthy.title());

        CheckResult warning = ConnectionCheck.interpret(server("16.0.4135.4", 3, 200_000), List.of(
                replica("ag-orders", "SQL1", true, "PRIMARY", "PARTIALLY_HEALTHY", "CONNECTED")), List.of(), context());
        assertEquals(List.of("MSSQL_CONNECTED", "MSSQL_AG_PARTIALLY_HEALTHY"), codes(warning));
        assertEquals(Severity.WARNING, warning.status());
    }

    @Test
    void aResolvingReplicaHasNoPrimary() {
        CheckResult result = ConnectionCheck.interpret(server("14.0.3456.2", 3, 200_000), List.of(
                replica("ag-orders", "SQL2", true, "RESOLVING", "HEALTHY", "DISCONNECTED")), List.of(), context());
        assertEquals(List.of("MSSQL_CONNECTED", "MSSQL_AG_RESOLVING"), codes(result));
        assertEquals(Severity.CRITICAL, result.status());
    }

    @Test
    void aRecentRestartAndAnOldVersionAreWarnings() {
        CheckResult result = ConnectionCheck.interpret(server("12.0.6024.0", 3, 240), List.of(), List.of(), context());
        assertEquals(List.of("MSSQL_CONNECTED", "MSSQL_UNSUPPORTED_VERSION", "MSSQL_RECENT_RESTART"), codes(result));
        assertEquals("SQL Server started 4 min ago", result.findings().get(2).title());
        assertTrue(result.findings().get(1).title().startsWith("SQL Server 2014 (12.0.6024.0) is older than SQL Server 2016"));
        assertEquals(List.of("MSSQL_CONNECTED"), codes(ConnectionCheck.interpret(server("13.0.5026.0", 3, 240), List.of(), List.of(),
                context("restart_warning_seconds", "60"))));
    }
}
