package dbtool.core.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dbtool.core.DbtoolException;
import dbtool.spi.Check;
import dbtool.spi.CheckResult;
import java.util.List;
import org.junit.jupiter.api.Test;

/** --check: which checks run, in which order, and what a mistyped name says. */
class CheckSelectionTest {

    static final List<Check> CHECKS = List.of(
            FakeEngine.check("replication-lag", "replication", c -> CheckResult.healthy()),
            FakeEngine.check("long-queries", "queries", c -> CheckResult.healthy()),
            FakeEngine.check("cache-hit", "resources", c -> CheckResult.healthy()),
            FakeEngine.check("blocking", "locks", c -> CheckResult.healthy()),
            FakeEngine.check("lock-waits", "locks", c -> CheckResult.healthy()),
            FakeEngine.check("connection", "connectivity", c -> CheckResult.healthy()));

    private static List<String> ids(String spec) {
        return CheckSelection.select(CHECKS, spec, "fake").stream().map(Check::id).toList();
    }

    @Test
    void everythingRunsByStandardCategoryThenPluginCategoriesKeepingThePluginsOrderWithin() {
        assertEquals(List.of("connection", "blocking", "lock-waits", "cache-hit", "long-queries", "replication-lag"), ids(null));
    }

    @Test
    void aSpecThatNamesNothingIsAUsageErrorNotEverything() {
        for (String spec : List.of("", "  ", ",,,", " , ")) {
            DbtoolException error = assertThrows(DbtoolException.class, () -> ids(spec), "'" + spec + "'");
            assertEquals(64, error.exitCode());
            assertTrue(error.getMessage().startsWith("--check: expected check ids or categories"), error.getMessage());
        }
    }

    @Test
    void byIdByCategoryOrBothIgnoringCaseAndSpaces() {
        assertEquals(List.of("cache-hit"), ids("cache-hit"));
        assertEquals(List.of("blocking", "lock-waits"), ids("locks"));
        assertEquals(List.of("connection", "blocking", "lock-waits", "replication-lag"), ids(" REPLICATION , locks,connection,"));
    }

    @Test
    void anUnknownNameIsAUsageErrorListingWhatExists() {
        DbtoolException error = assertThrows(DbtoolException.class, () -> ids("locks,cahce-hit"));
        assertEquals(64, error.exitCode());
        assertEquals("--check: unknown check or category 'cahce-hit' for fake (did you mean 'cache-hit'?); available: "
                + "blocking, cache-hit, connection, connectivity, lock-waits, locks, long-queries, queries, replication, "
                + "replication-lag, resources", error.getMessage());
    }

    @Test
    void anEngineWithoutChecksSaysSo() {
        DbtoolException error = assertThrows(DbtoolException.class, () -> CheckSelection.select(List.of(), "locks", "fake"));
        assertEquals(64, error.exitCode());
        assertTrue(error.getMessage().endsWith("available: none (the plugin has no checks yet)"), error.getMessage());
    }

    @Test
    void namesForCompletionAreIdsAndCategoriesOnce() {
        assertEquals(List.of("blocking", "cache-hit", "connection", "connectivity", "lock-waits", "locks", "long-queries",
                "queries", "replication", "replication-lag", "resources"), CheckSelection.names(CHECKS));
    }
}
