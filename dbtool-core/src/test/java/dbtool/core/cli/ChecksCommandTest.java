package dbtool.core.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dbtool.core.report.Style;
import dbtool.spi.Check;
import dbtool.spi.CheckContext;
import dbtool.spi.CheckResult;
import dbtool.spi.Credentials;
import dbtool.spi.EnginePlugin;
import dbtool.spi.EngineSession;
import dbtool.spi.SessionSettings;
import dbtool.spi.Target;
import dbtool.spi.Threshold;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@code dbtool checks ENGINE} lists the checks and then the thresholds they declare, one row per name. */
class ChecksCommandTest {

    static final Threshold CRITICAL_WAITERS = Threshold.number("blocked_sessions_critical", 5, "",
            "CRITICAL from this many blocked sessions");
    static final Threshold TEMP = Threshold.number("temp_bytes_warning", 10L * 1024 * 1024 * 1024, "bytes",
            "WARNING from this many temp bytes");

    private static Check check(String id, Threshold... thresholds) {
        return new Check() {
            public String id() {
                return id;
            }

            public String category() {
                return "locks";
            }

            public String description() {
                return "looks at " + id;
            }

            public List<Threshold> thresholds() {
                return List.of(thresholds);
            }

            public CheckResult run(EngineSession session, CheckContext context) {
                return new CheckResult(List.of(), Map.of());
            }
        };
    }

    private static EnginePlugin engine(List<Check> checks) {
        return new EnginePlugin() {
            public String id() {
                return "pg";
            }

            public String displayName() {
                return "PG";
            }

            public Set<String> schemes() {
                return Set.of("pg");
            }

            public int defaultPort() {
                return 1;
            }

            public List<Check> checks() {
                return checks;
            }

            public EngineSession open(Target target, Credentials credentials, SessionSettings settings) {
                throw new UnsupportedOperationException();
            }
        };
    }

    @Test
    void thresholdsFollowTheChecksWithDefaultUnitAndEveryCheckThatReadsThem() {
        String listing = ChecksCommand.listing(List.of(engine(List.of(check("blocking", CRITICAL_WAITERS),
                check("lock-waits", CRITICAL_WAITERS), check("temp-files", TEMP), check("connection")))), Style.PLAIN);
        assertEquals("""
                ENGINE  CHECK       CATEGORY  WHAT IT LOOKS AT
                pg      blocking    locks     looks at blocking
                pg      lock-waits  locks     looks at lock-waits
                pg      temp-files  locks     looks at temp-files
                pg      connection  locks     looks at connection

                ENGINE  THRESHOLD                  DEFAULT      UNIT   CHECKS                MEANING
                pg      blocked_sessions_critical  5                   blocking, lock-waits  CRITICAL from this many blocked sessions
                pg      temp_bytes_warning         10737418240  bytes  temp-files            WARNING from this many temp bytes
                """, listing);
    }

    @Test
    void checksWithoutThresholdsListOnlyTheChecks() {
        assertEquals("ENGINE  CHECK       CATEGORY  WHAT IT LOOKS AT\npg      connection  locks     looks at connection\n",
                ChecksCommand.listing(List.of(engine(List.of(check("connection")))), Style.PLAIN));
    }
}
