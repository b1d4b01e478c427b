package dbtool.core.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dbtool.core.cli.CommandContext;
import dbtool.core.cli.CommandLineInterface;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import dbtool.core.Environment;
import dbtool.core.ExitCodes;
import dbtool.core.log.RunLog;
import dbtool.spi.CheckResult;
import dbtool.spi.Credentials;
import dbtool.spi.Finding;
import dbtool.spi.Severity;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** DBTOOL_LOG: what a postmortem reads, and what it must never hold. */
class RunLogTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream warnings = new ByteArrayOutputStream();

    private RunLog open(Path file) {
        return RunLog.open(new Environment(Map.of("DBTOOL_LOG", file.toString()), dir, "Linux", null),
                new PrintStream(warnings, true, StandardCharsets.UTF_8));
    }

    @Test
    void recordsSessionChecksAndFindingsButNoPassword() throws Exception {
        Path file = dir.resolve("dbtool.log");
        String password = "S3cret-Run-Log-" + System.nanoTime();
        FakeEngine engine = new FakeEngine(List.of(
                FakeEngine.check("locks.blocking", c -> CheckResult.builder()
                        .add(Finding.of("BLOCKING_CHAIN", Severity.CRITICAL, "pid 42 blocks 3 sessions").build()).build()),
                FakeEngine.check("broken", c -> {
                    throw new IllegalStateException("permission denied for view pg_stat_activity");
                })));
        try (RunLog log = open(file)) {
            new TroubleshootRunner("test", log).run(new TroubleshootRunner.Request(FakeEngine.target(), engine, engine.checks(),
                    Credentials.password("app", password.toCharArray(), "password:env PGPASSWORD"), Duration.ofSeconds(5), Map.of()));
        }
        String text = Files.readString(file);
        assertTrue(text.contains("credentials: password:env PGPASSWORD"), text);
        assertTrue(text.contains("session open after"), text);
        assertTrue(text.contains("check locks.blocking CRITICAL"), text);
        assertTrue(text.contains("BLOCKING_CHAIN CRITICAL"), text);
        assertTrue(text.contains("check broken UNKNOWN") && text.contains("permission denied for view pg_stat_activity"), text);
        assertFalse(text.contains(password), "the password must never reach the log");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    }

    @Test
    void appendsAcrossRunsOneLinePerEvent() throws Exception {
        Path file = dir.resolve("append.log");
        try (RunLog log = open(file)) {
            log.info("first\nwith a newline");
        }
        try (RunLog log = open(file)) {
            log.warn("second");
        }
        List<String> lines = Files.readAllLines(file);
        assertEquals(2, lines.size(), lines.toString());
        assertTrue(lines.get(0).contains("INFO") && lines.get(0).endsWith("first with a newline"), lines.get(0));
        assertTrue(lines.get(1).contains("WARN") && lines.get(1).endsWith("second"), lines.get(1));
    }

    @Test
    void aLogThatCannotBeOpenedIsReportedOnceAndTheCommandStillRuns() throws Exception {
        Path file = dir.resolve("no-such-folder").resolve("dbtool.log");
        Environment environment = new Environment(Map.of("DBTOOL_LOG", file.toString(),
                "DBTOOL_CONFIG", dir.resolve("none.json").toString(), "DBTOOL_PLUGIN_PATH", dir.toString()), dir, "Linux", null);
        PrintStream err = new PrintStream(warnings, true, StandardCharsets.UTF_8);
        try (CommandContext context = new CommandContext(environment, new PrintStream(new ByteArrayOutputStream(), true,
                StandardCharsets.UTF_8), err, false)) {
            CommandLineInterface cli = CommandLineInterface.standard();
            assertEquals(ExitCodes.OK, cli.execute(List.of("version"), context), "the diagnosis matters more than its log");
            assertEquals(ExitCodes.OK, cli.execute(List.of("version"), context), "the shell's next command too");
            assertFalse(context.log().enabled());
        }
        List<String> lines = warnings.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(1, lines.size(), lines.toString());
        assertTrue(lines.getFirst().startsWith("dbtool: DBTOOL_LOG: cannot append to " + file + ": "), lines.getFirst());
        assertTrue(lines.getFirst().endsWith("; continuing without a run log"), lines.getFirst());
    }

    @Test
    void anExistingLogKeepsItsPermissionsAndClosingTheContextClosesTheLog() throws Exception {
        Path file = dir.resolve("shared.log");
        Files.writeString(file, "earlier line\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));
        Environment environment = new Environment(Map.of("DBTOOL_LOG", file.toString()), dir, "Linux", null);
        CommandContext context = new CommandContext(environment, System.out, new PrintStream(warnings, true, StandardCharsets.UTF_8), false);
        context.log().info("appended");
        context.close();
        assertFalse(context.log().enabled(), "closed with the context");
        List<String> lines = Files.readAllLines(file);
        assertEquals(2, lines.size(), lines.toString());
        assertTrue(lines.get(1).endsWith("appended"), lines.toString());
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    }

    @Test
    void withoutTheVariableNothingIsWritten() {
        RunLog log = RunLog.open(new Environment(Map.of(), dir, "Linux", null), System.err);
        assertFalse(log.enabled());
        log.info("nowhere");
    }
}
