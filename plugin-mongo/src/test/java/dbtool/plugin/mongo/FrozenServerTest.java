package dbtool.plugin.mongo;

import dbtool.testkit.FreezableProxy;
import dbtool.testkit.mongo.FakeMongod;
import dbtool.testkit.mongo.MongoScenario;
import java.time.Duration;
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
            proxy.runFrozenAfterConnecting(new MongoPlugin(), "mongodb://127.0.0.1:" + proxy.port() + "/admin", Duration.ofSeconds(3))
                    .assertEndedWithinTheGrace();
        }
    }
}
