package dbtool.core.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dbtool.core.DbtoolException;
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

    private RunLog open(Path file) {
        return RunLog.open(new Environment(Map.of("DBTOOL_LOG", file.toString()), dir, "Linux", null));
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
    void aLogInAMissingFolderIsAConfigurationErrorNamingTheVariable() {
        Path file = dir.resolve("no-such-folder").resolve("dbtool.log");
        DbtoolException e = assertThrows(DbtoolException.class, () -> open(file));
        assertEquals(ExitCodes.CONFIG, e.exitCode());
        assertTrue(e.getMessage().startsWith("DBTOOL_LOG: cannot append to " + file), e.getMessage());
    }

    @Test
    void withoutTheVariableNothingIsWritten() {
        RunLog log = RunLog.open(new Environment(Map.of(), dir, "Linux", null));
        assertFalse(log.enabled());
        log.info("nowhere");
    }
}
