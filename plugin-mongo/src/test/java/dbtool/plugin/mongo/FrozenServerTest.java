package dbtool.plugin.mongo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dbtool.core.report.Report;
import dbtool.spi.Check;
import dbtool.spi.Credentials;
import dbtool.testkit.FreezableProxy;
import dbtool.testkit.PluginRun;
import dbtool.testkit.mongo.FakeMongod;
import dbtool.testkit.mongo.MongoScenario;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The server stops answering mid-run (issue 13, item 4): the driver's command, its close (which the
 * session's cancel is) and its monitors wait on a server that never answers; the run still ends within
 * the deadline and its 1 s grace.
 */
class FrozenServerTest {

    @Test
    void aServerFrozenMidRunCannotHoldTheRunPastTheDeadlineAndItsGrace() {
        try (FakeMongod server = FakeMongod.start(MongoScenario.healthyStandalone());
             FreezableProxy proxy = FreezableProxy.to(server.port())) {
            MongoPlugin plugin = new MongoPlugin();
            List<Check> checks = new ArrayList<>(plugin.checks());
            assertEquals("connection", checks.getFirst().id());
            checks.add(1, proxy.freezeCheck());
            String url = "mongodb://127.0.0.1:" + proxy.port() + "/admin";
            Duration timeout = Duration.ofSeconds(3);
            long start = System.nanoTime();
            Report report = PluginRun.run(plugin, url, Credentials.none(), Map.of(), timeout, checks);
            long elapsedMillis = (System.nanoTime() - start) / 1_000_000;

            assertEquals(null, report.checks().getFirst().error(), "connected before the freeze");
            assertTrue(elapsedMillis >= timeout.toMillis() && elapsedMillis < timeout.toMillis() + 3_000,
                    "the run took " + elapsedMillis + " ms: " + report.checks());
            assertEquals(3, report.exitCode(), report.checks().toString());
        }
    }
}
