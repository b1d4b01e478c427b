package dbtool.triage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dbtool.spi.Finding;
import dbtool.spi.Severity;
import java.util.List;
import org.junit.jupiter.api.Test;

class RootCauseTest {

    @Test
    void anIdleTransactionHeadingTheTreeIsTheRootOfTheChainTheWaitsTheLongQueriesAndThePileUp() {
        RootCause cause = RootCause.of(Fixtures.incident("orders", 5));
        assertEquals("PG_IDLE_IN_TRANSACTION", cause.root().code());
        assertEquals(List.of("PG_BLOCKING_CHAIN", "PG_LOCK_WAITS", "PG_LONG_QUERY", "PG_CONNECTIONS_NEAR_LIMIT"),
                cause.consequences().stream().map(Finding::code).sorted((a, b) -> order(a) - order(b)).toList());
        assertEquals(List.of("PG_CACHE_HIT_RATIO"), cause.others().stream().map(Finding::code).toList(), "unrelated: not a consequence");
    }

    private static int order(String code) {
        return List.of("PG_BLOCKING_CHAIN", "PG_LOCK_WAITS", "PG_LONG_QUERY", "PG_CONNECTIONS_NEAR_LIMIT").indexOf(code);
    }

    @Test
    void withoutAFindingAboutTheHeadTheBlockingTreeIsTheRoot() {
        Finding chain = Finding.of("MSSQL_BLOCKING", Severity.CRITICAL, "blocked").evidence("headBlockers", List.of(61L))
                .evidence("blockingTree", List.of()).build();
        Finding longRequest = Finding.of("MSSQL_LONG_REQUEST", Severity.WARNING, "long").build();
        RootCause cause = RootCause.of(Fixtures.report("sales", Fixtures.check("blocking", "locks", chain), Fixtures.check("long", "queries", longRequest)));
        assertEquals("MSSQL_BLOCKING", cause.root().code());
        assertEquals(List.of("MSSQL_LONG_REQUEST"), cause.consequences().stream().map(Finding::code).toList());
    }

    @Test
    void withoutBlockingTheWorstFindingIsTheRootAndNothingIsLinked() {
        Finding disk = Finding.of("PG_TEMP_FILES", Severity.WARNING, "temp files").build();
        Finding wrap = Finding.of("PG_XID_WRAPAROUND", Severity.CRITICAL, "wraparound").build();
        Finding info = Finding.of("PG_SIZES", Severity.INFO, "sizes").build();
        RootCause cause = RootCause.of(Fixtures.report("orders", Fixtures.check("a", "resources", disk, wrap, info)));
        assertEquals("PG_XID_WRAPAROUND", cause.root().code());
        assertEquals(List.of(), cause.consequences());
        assertEquals(List.of("PG_TEMP_FILES"), cause.others().stream().map(Finding::code).toList(), "INFO is left out");
    }

    @Test
    void aHealthyReportHasNoRoot() {
        assertNull(RootCause.of(Fixtures.report("orders", Fixtures.check("a", "resources"))).root());
        assertEquals("report:OK", RootCause.of(null).code("report:OK"));
    }
}
