package dbtool.plugin.postgres.checks;

import static dbtool.testkit.CheckFixtures.context;
import static dbtool.testkit.CheckFixtures.only;
import static dbtool.testkit.CheckFixtures.require;
import static dbtool.testkit.CheckFixtures.row;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dbtool.spi.CheckResult;
import dbtool.spi.Finding;
import dbtool.spi.Severity;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The vacuum check's reading of the autovacuum settings row and pg_stat_user_tables (n_dead_tup bigint); the same on PostgreSQL 12 and 17. */
class VacuumCheckTest {

    static Map<String, Object> workers(long busy, String autovacuum) {
        return row("workers", busy, "max_workers", 3L, "autovacuum", autovacuum);
    }

    static Map<String, Object> table(String name, long dead, long trigger) {
        return row("table", name, "dead_rows", dead, "live_rows", 1_000_000L, "trigger_rows", trigger, "last_vacuum", null);
    }

    @Test
    void tablesPastTwiceTheirTriggerAreOverdue() {
        List<Map<String, Object>> tables = List.of(table("public.orders", 500_000L, 200_050L), table("public.events", 30_000L, 20_000L),
                table("public.tiny", 5_000L, 50L));
        CheckResult result = VacuumCheck.interpret(workers(1, "on"), tables, context());
        Finding finding = only(result);
        assertEquals("PG_VACUUM_OVERDUE", finding.code());
        assertEquals("1 table is overdue for vacuum; public.orders has 500000 dead rows (trigger 200050)", finding.title(),
                "events is under twice its trigger; tiny has fewer than vacuum_overdue_min_dead_rows");
        assertEquals("VACUUM (VERBOSE, ANALYZE) public.orders;  -- after removing what holds the xmin horizon", finding.recommendation());
        assertEquals(1, result.metrics().get("tables_overdue"));
        assertEquals(2, VacuumCheck.interpret(workers(1, "on"), tables, context("vacuum_overdue_factor", "1.5")).metrics().get("tables_overdue"));
    }

    @Test
    void autovacuumOffAndEveryWorkerBusyAreFindingsOfTheirOwn() {
        CheckResult result = VacuumCheck.interpret(workers(3, "off"), List.of(), context());
        assertEquals(Severity.WARNING, require(result, "PG_AUTOVACUUM_OFF").severity());
        assertEquals("All 3 autovacuum workers are busy", require(result, "PG_AUTOVACUUM_WORKERS_BUSY").title());
        assertEquals(3L, result.metrics().get("autovacuum_workers"));
        assertEquals(List.of(), VacuumCheck.interpret(workers(2, "on"), List.of(), context()).findings());
    }
}
