package dbtool.plugin.snowflake.checks;

import dbtool.plugin.snowflake.SnowflakePlugin;
import dbtool.testkit.FreezableProxy;
import dbtool.testkit.snowflake.SnowflakeResponder;
import java.time.Duration;
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
            responder.answerFor(responder.host() + ":" + proxy.port());
            String url = responder.url(Scenario.USER + ":" + Scenario.PASSWORD, "DIAG", "warehouse=DIAG_WH&role=MONITOR_RO")
                    .replace(":" + responder.port() + "/", ":" + proxy.port() + "/");
            // Loading the Snowflake driver and logging in take a few seconds on a cold JVM: room for that before the freeze.
            proxy.runFrozenAfterConnecting(new SnowflakePlugin(), url, Duration.ofSeconds(10)).assertEndedWithinTheGrace();
        } finally {
            responder.close();
        }
    }
}
