package dbtool.plugin.mssql.checks;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dbtool.plugin.mssql.SqlServerPlugin;
import dbtool.testkit.FreezableProxy;
import dbtool.testkit.tds.TdsResponder;
import java.time.Duration;
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
            String url = "sqlserver://" + SqlServerScenario.USER + ":" + SqlServerScenario.PASSWORD + "@127.0.0.1:" + proxy.port()
                    + "/" + SqlServerScenario.DATABASE;
            FreezableProxy.FrozenRun run = proxy.runFrozenAfterConnecting(new SqlServerPlugin(), url, Duration.ofSeconds(3));

            run.assertEndedWithinTheGrace();
            String error = run.report().checks().get(2).error();
            assertTrue(error.startsWith("did not finish before the deadline of 3 s") || error.startsWith("no answer within"), error);
        }
    }
}
