package dbtool.plugin.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dbtool.core.report.Report;
import dbtool.spi.Severity;
import dbtool.testkit.Reports;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class HealthyClusterTest {

    @RegisterExtension
    static final TestCluster cluster = TestCluster.defaults();

    @Test
    void healthyClusterIsOkWithEveryCheckAnswering() {
        Report report = Troubleshoot.run(cluster.url("postgres"), Map.of());

        Reports.assertNoUnknown(report);
        assertEquals(Severity.OK, report.status(), Reports.describe(report));
        assertEquals(18, report.checks().size());
        assertTrue(report.checks().stream().flatMap(c -> c.findings().stream())
                .noneMatch(f -> f.severity() == Severity.WARNING || f.severity() == Severity.CRITICAL), Reports.describe(report));
        var connected = Reports.require(report, "PG_CONNECTED");
        assertTrue(connected.title().startsWith("PostgreSQL 15"), connected.title());
        assertEquals("primary", connected.evidence().get("role"));
    }

    @Test
    void sizesTableShowsDatabaseThenSizeOnEveryRun() {
        Report report = Troubleshoot.run(cluster.url("postgres"), Map.of());
        List<?> rows = (List<?>) Reports.require(report, "PG_SIZES").evidence().get("databases");
        // The columns came out in Map.of's per-run order: the table and the JSON swapped them between runs.
        for (Object row : rows) {
            assertEquals(List.of("database", "size"), List.copyOf(((Map<?, ?>) row).keySet()), row.toString());
        }
    }

    @Test
    void missingPgStatStatementsIsAnInfoNotAnError() {
        Report report = Troubleshoot.run(cluster.url("postgres"), Map.of());
        var missing = Reports.require(report, "PG_STAT_STATEMENTS_MISSING");
        assertEquals(Severity.INFO, missing.severity());
        assertTrue(missing.recommendation().contains("CREATE EXTENSION pg_stat_statements"));
    }

    @Test
    void topStatementsAppearOnceTheExtensionExists() throws Exception {
        cluster.execute("postgres", "CREATE DATABASE stats", "SELECT 1");
        cluster.execute("stats", "CREATE EXTENSION pg_stat_statements", "CREATE TABLE t (id int)",
                "INSERT INTO t SELECT generate_series(1, 1000)", "SELECT count(*) FROM t");
        Report report = Troubleshoot.run(cluster.url("stats"), Map.of());
        var top = Reports.require(report, "PG_TOP_STATEMENTS");
        assertTrue(top.evidence().get("byTotalTime") instanceof java.util.List<?> rows && !rows.isEmpty());
    }
}
