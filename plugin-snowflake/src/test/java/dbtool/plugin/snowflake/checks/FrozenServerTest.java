package dbtool.plugin.snowflake.checks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dbtool.core.report.Report;
import dbtool.plugin.snowflake.SnowflakePlugin;
import dbtool.spi.Check;
import dbtool.spi.Credentials;
import dbtool.testkit.FreezableProxy;
import dbtool.testkit.PluginRun;
import dbtool.testkit.snowflake.SnowflakeResponder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Snowflake stops answering mid-run (issue 13, item 4): the query, the driver's abort request (the
 * cancel) and its session delete (the close) are HTTP calls to a server that never answers; the run
 * still ends within the deadline and its 1 s grace.
 */
class FrozenServerTest {

    @Test
    void aServiceFrozenMidRunCannotHoldTheRunPastTheDeadlineAndItsGrace() {
        SnowflakeResponder responder = Scenario.healthy();
        try (FreezableProxy proxy = FreezableProxy.to(responder.port())) {
            SnowflakePlugin plugin = new SnowflakePlugin();
            List<Check> checks = new ArrayList<>(plugin.checks());
            assertEquals("connection", checks.getFirst().id());
            checks.add(1, proxy.freezeCheck());
            responder.answerFor(responder.host() + ":" + proxy.port());
            String url = responder.url(Scenario.USER + ":" + Scenario.PASSWORD, "DIAG", "warehouse=DIAG_WH&role=MONITOR_RO")
                    .replace(":" + responder.port() + "/", ":" + proxy.port() + "/");
            // Loading the Snowflake driver and logging in take a few seconds on a cold JVM: room for that before the freeze.
            Duration timeout = Duration.ofSeconds(10);
            long start = System.nanoTime();
            Report report = PluginRun.run(plugin, url, Credentials.none(), Map.of(), timeout, checks);
            long elapsedMillis = (System.nanoTime() - start) / 1_000_000;

            assertEquals(null, report.checks().getFirst().error(), "connected before the freeze");
            assertTrue(elapsedMillis >= timeout.toMillis() && elapsedMillis < timeout.toMillis() + 3_000,
                    "the run took " + elapsedMillis + " ms: " + report.checks());
            assertEquals(3, report.exitCode(), report.checks().toString());
        } finally {
            responder.close();
        }
    }
}
