package dbtool.plugin.postgres;

import static dbtool.testkit.CheckFixtures.probe;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dbtool.core.report.CheckReport;
import dbtool.core.report.Report;
import dbtool.spi.Category;
import dbtool.spi.Check;
import dbtool.spi.CheckResult;
import dbtool.spi.Credentials;
import dbtool.testkit.PluginRun;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The whole server freezes mid-run (postmaster and backends stopped with SIGSTOP, as a hung host or a
 * debugger would): the run still ends within the deadline and its grace (issue 13, item 4). Before, the
 * cancel at the deadline waited for pgjdbc's cancelSignalTimeout (10 s) and a 5 s run took 15.6 s.
 */
class FrozenServerTest {

    @RegisterExtension
    static final TestCluster cluster = TestCluster.defaults();

    @Test
    void aServerFrozenMidRunCannotHoldTheRunPastTheDeadlineAndItsGrace() throws Exception {
        PostgresPlugin plugin = new PostgresPlugin();
        List<Check> checks = new ArrayList<>(plugin.checks());
        assertEquals("connection", checks.getFirst().id(), "the session connects in the first check");
        // Frozen between two checks, from inside the run: the connection is made, the next statement hangs.
        checks.add(1, probe("freeze-server", Category.CONNECTIVITY, "stops the test cluster's processes", (session, context) -> {
            signal("STOP");
            return CheckResult.healthy();
        }));
        Duration timeout = Duration.ofSeconds(5);
        long start = System.nanoTime();
        Report report;
        try {
            report = PluginRun.run(plugin, cluster.url("postgres"), Credentials.none(), Map.of(), timeout, checks);
        } finally {
            signal("CONT");
        }
        long elapsedMillis = (System.nanoTime() - start) / 1_000_000;

        assertEquals(null, report.checks().getFirst().error(), "connected before the freeze");
        assertEquals("freeze-server", report.checks().get(1).id());
        CheckReport overran = report.checks().get(2);
        // The report says which statement the frozen server left unanswered.
        assertTrue(overran.error().matches("did not finish before the deadline of 5 s \\(raise it with --timeout\\): "
                + "the statement running was .+ \\(for [0-9.]+ (ms|s)\\)"), overran.id() + ": " + overran.error());
        // Deadline + grace (1 s), with room for a loaded 2-core CI machine; before: 15.6 s.
        assertTrue(elapsedMillis >= timeout.toMillis() && elapsedMillis < timeout.toMillis() + 3_000,
                "the run took " + elapsedMillis + " ms");
        assertEquals(3, report.exitCode());
    }

    /** Stops (STOP) or resumes (CONT) the postmaster and every backend of the cluster: nothing answers, connections stay open. */
    private static void signal(String signal) throws IOException, InterruptedException {
        long postmaster = Long.parseLong(Files.readAllLines(cluster.dataDirectory().resolve("postmaster.pid")).getFirst().strip());
        ProcessHandle server = ProcessHandle.of(postmaster).orElseThrow(() -> new IOException("no postmaster " + postmaster));
        List<String> command = new ArrayList<>(List.of("kill", "-" + signal));
        Stream.concat(Stream.of(server), server.descendants()).forEach(p -> command.add(Long.toString(p.pid())));
        Process kill = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(kill.getInputStream().readAllBytes());
        assertEquals(0, kill.waitFor(), "kill -" + signal + ": " + output);
    }
}
