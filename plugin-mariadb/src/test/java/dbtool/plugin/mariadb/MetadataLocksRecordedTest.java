package dbtool.plugin.mariadb;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dbtool.core.report.Report;
import dbtool.spi.Finding;
import dbtool.testkit.Reports;
import dbtool.testkit.mariadb.LocalMariaDb;
import dbtool.testkit.mariadb.MariaDbIncident;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A real MariaDB that records metadata locks (performance_schema on, the mdl instrument enabled,
 * as MySQL 8 does by default): the holders come from performance_schema.metadata_locks and the
 * server's compatibility rules, not from guesses.
 */
class MetadataLocksRecordedTest {

    static LocalMariaDb server;

    @BeforeAll
    static void start() throws Exception {
        server = LocalMariaDb.start(LocalMariaDb.Settings.defaults().withMetadataLocks());
        server.execute("CREATE DATABASE shop");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void alterBehindAnIdleTransactionAndASelectBehindTheAlterFormOneTree() throws Exception {
        try (MariaDbIncident incident = new MariaDbIncident(server, "shop")) {
            long[] ids = incident.metadataLockWait("orders");

            Report report = Troubleshoot.run(server.url("root", "shop"), Map.of());
            Finding wait = Reports.require(report, "MARIADB_METADATA_LOCK_WAIT");

            assertEquals("performance_schema.metadata_locks", wait.evidence().get("source"));
            assertEquals(List.of(ids[0]), wait.evidence().get("headBlockers"), Reports.describe(report));
            assertEquals(List.of("shop.orders"), wait.evidence().get("objects"));
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> tree = (List<Map<String, Object>>) wait.evidence().get("blockingTree");
            Map<String, Object> head = tree.getFirst();
            @SuppressWarnings("unchecked")
            Map<String, Object> alter = ((List<Map<String, Object>>) head.get("blocked")).getFirst();
            assertEquals(ids[1], alter.get("id"), "the ALTER waits for the idle transaction");
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> behindAlter = (List<Map<String, Object>>) alter.get("blocked");
            assertEquals(1, behindAlter.size(), "the SELECT queues behind the ALTER, not behind the reader: " + tree);
            Reports.assertNoUnknown(report);
        }
    }
}
