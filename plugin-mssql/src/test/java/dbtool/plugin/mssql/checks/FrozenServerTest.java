package dbtool.plugin.mssql.checks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dbtool.core.report.Report;
import dbtool.plugin.mssql.SqlServerPlugin;
import dbtool.spi.Check;
import dbtool.spi.Credentials;
import dbtool.testkit.FreezableProxy;
import dbtool.testkit.PluginRun;
import dbtool.testkit.tds.TdsResponder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The server stops answering mid-run (issue 13, item 4): jTDS's cancel, the check's read and the close
 * wait on a server that never answers; the run still ends within the deadline and its 1 s grace.
 */
class FrozenServerTest {

    @Test
    void aServerFrozenMidRunCannotHoldTheRunPastTheDeadlineAndItsGrace() {
        try (TdsResponder responder = TdsResponder.start(SqlServerScenario.healthy());
             FreezableProxy proxy = FreezableProxy.to(responder.port())) {
            SqlServerPlugin plugin = new SqlServerPlugin();
            List<Check> checks = new ArrayList<>(plugin.checks());
            assertEquals("connection", checks.getFirst().id());
            checks.add(1, proxy.freezeCheck());
            String url = "sqlserver://" + SqlServerScenario.USER + ":" + SqlServerScenario.PASSWORD + "@127.0.0.1:" + proxy.port()
                    + "/" + SqlServerScenario.DATABASE;
            Duration timeout = Duration.ofSeconds(3);
            long start = System.nanoTime();
            Report report = PluginRun.run(plugin, url, Credentials.none(), Map.of(), timeout, checks);
            long elapsedMillis = (System.nanoTime() - start) / 1_000_000;

            assertNull(report.checks().getFirst().error(), "connected before the freeze");
            assertTrue(report.checks().get(2).error().startsWith("did not finish before the deadline of 3 s")
                    || report.checks().get(2).error().startsWith("no answer within"), report.checks().get(2).error());
            assertTrue(elapsedMillis >= timeout.toMillis() && elapsedMillis < timeout.toMillis() + 3_000,
                    "the run took " + elapsedMillis + " ms");
            assertEquals(3, report.exitCode());
        }
    }
}
