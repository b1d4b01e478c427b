package dbtool.plugin.mssql.checks;

import static dbtool.testkit.CheckFixtures.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dbtool.plugin.mssql.ServerInfo;
import dbtool.spi.CheckResult;
import dbtool.spi.Severity;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One guard decides, from what the session learnt at login, which checks can read this server. */
class VersionGuardTest {

    static ServerInfo server(String version, int engineEdition) {
        return ServerInfo.of(row("version", version, "edition", "x", "engine_edition", engineEdition));
    }

    private static List<String> skippedOn(ServerInfo server) {
        return SqlServerChecks.all().stream().map(c -> (SqlServerCheck) c)
                .filter(c -> c.support().skipReason(server).isPresent()).map(SqlServerCheck::id).toList();
    }

    @Test
    void serverPropertiesAreRead() {
        ServerInfo info = server("13.0.5026.0", 3);
        assertEquals(13, info.majorVersion());
        assertEquals(5026, info.build());
        assertTrue(info.atLeast(13, 5026) && !info.atLeast(13, 5027) && info.atLeast(12, 9999));
        assertEquals("SQL Server 2016 (13.0.5026.0)", info.describe());
        assertTrue(server("12.0.2000.8", 5).azureSqlDatabase());
        assertTrue(!server("12.0.2000.8", 8).azureSqlDatabase(), "Managed Instance (8) reads what a box does");
    }

    @Test
    void onAzureSqlDatabaseOnlyTheChecksReadingServerLevelViewsAreSkipped() {
        assertEquals(List.of("deadlocks", "cpu"), skippedOn(server("12.0.2000.8", 5)));
        assertEquals("Not available on Azure SQL Database: it reads sys.dm_os_ring_buffers; see sys.dm_db_resource_stats "
                + "(avg_cpu_percent) instead", new CpuCheck().support().skipReason(server("12.0.2000.8", 5)).orElseThrow());
    }

    @Test
    void everySupportedVersionRunsEverything() {
        for (String version : List.of("13.0.4001.0", "14.0.3456.2", "15.0.4298.1", "16.0.4135.4")) {
            assertEquals(List.of(), skippedOn(server(version, 3)), version);
        }
        assertEquals(List.of(), skippedOn(ServerInfo.UNKNOWN), "when the version could not be read, checks try and report their own errors");
    }

    @Test
    void managedInstanceIsACurrentEngineThatRunsEveryCheck() {
        ServerInfo mi = server("12.0.2000.8", 8);
        assertTrue(mi.managedInstance() && mi.evergreen());
        assertEquals("Azure SQL Managed Instance (12.0.2000.8)", mi.describe());
        assertTrue(mi.atLeast(16, 4135), "its 12.0.2000.8 is no version to compare: it runs the current engine");
        assertEquals(List.of(), skippedOn(mi), "Managed Instance has ring buffers and system_health: cpu and deadlocks run too");
        assertTrue(server("12.0.2000.8", 5).atLeast(16, 0), "Azure SQL Database neither");
        assertTrue(!server("12.0.6024.0", 3).atLeast(13, 0), "a real SQL Server 2014 is compared");
    }

    @Test
    void thePerDatabaseVersionStoreIsReadFrom2016Sp2AndOnAzure() {
        assertTrue(!TempdbCheck.versionStoreReadable(server("13.0.4001.0", 3)), "2016 SP1 has no sys.dm_tran_version_store_space_usage");
        assertTrue(TempdbCheck.versionStoreReadable(server("13.0.5026.0", 3)), "2016 SP2");
        assertTrue(TempdbCheck.versionStoreReadable(server("14.0.1000.169", 3)), "2017 RTM");
        assertTrue(TempdbCheck.versionStoreReadable(server("12.0.2000.8", 5)), "Azure SQL Database");
        assertTrue(TempdbCheck.versionStoreReadable(server("12.0.2000.8", 8)), "Managed Instance");
    }

    @Test
    void aSkippedCheckIsOneInfoNotAnError() {
        CheckResult result = SqlServerCheck.skipped("Not available on Azure SQL Database: it reads sys.dm_os_ring_buffers");
        assertEquals(Severity.OK, result.status(), "INFO counts as OK");
        assertEquals("MSSQL_CHECK_SKIPPED", result.findings().getFirst().code());
        assertEquals(Severity.INFO, result.findings().getFirst().severity());
    }
}
