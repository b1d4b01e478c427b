package dbtool.top;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dbtool.core.report.TraceLinks;
import dbtool.spi.ActiveSession;
import dbtool.spi.Activity;
import dbtool.spi.QueryPlan;
import dbtool.spi.Target;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.jline.utils.AttributedString;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The screen drawn from snapshots of each engine, without a terminal: what a user sees, line by line. */
class ScreenTest {

    static Stream<Arguments> engines() {
        return Stream.of(
                Arguments.of("postgresql", (Supplier<List<Activity>>) Fixtures::postgres, "4242", "4243"),
                Arguments.of("sqlserver", (Supplier<List<Activity>>) Fixtures::sqlServer, "52", "53"),
                Arguments.of("mongodb", (Supplier<List<Activity>>) Fixtures::mongo, "4711", "4725"),
                // Ids longer than the column keep their end, where they differ: "…00000000001", "…000000000b".
                Arguments.of("snowflake", (Supplier<List<Activity>>) Fixtures::snowflake, "\u2026" + tail(Fixtures.SF_HEAD_TXN, 11),
                        "\u2026" + tail(Fixtures.SF_BLOCKED, 10)));
    }

    private static String tail(String id, int characters) {
        return id.substring(id.length() - characters);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("engines")
    void fitsAnEightyByTwentyFourTerminalWithTheWaiterUnderItsBlocker(String engine, Supplier<List<Activity>> fixture, String head,
                                                                       String waiter) {
        Frame frame = Fixtures.frame(fixture.get());
        List<String> screen = new Screen(false).render(frame, new ViewState(Duration.ofSeconds(2)),
                new Screen.Context("orders (" + engine + ")", null, null, null), 80, 24).stream().map(AttributedString::toString).toList();

        assertEquals(24, screen.size());
        screen.forEach(line -> assertTrue(line.length() <= 80, "wider than 80: " + line));
        assertTrue(screen.getFirst().startsWith("dbtool top orders (" + engine + ")"), screen.getFirst());
        String firstFigure = fixture.get().get(1).load().keySet().iterator().next();
        assertTrue(screen.get(1).startsWith(firstFigure + " "), "the engine's load figures, in its order: " + screen.get(1));
        int headRow = rowOf(screen, head + " ");
        int waiterRow = rowOf(screen, "\u2514" + waiter + " ");
        assertTrue(headRow > 0 && waiterRow == headRow + 1, "the waiter right under its blocker:\n" + String.join("\n", screen));
        assertTrue(screen.getLast().startsWith("q quit"), screen.getLast());
    }

    @Test
    void postgresHeaderShowsRatesBetweenSnapshotsAndWaitsByType() {
        List<String> screen = text(Fixtures.frame(Fixtures.postgres()), new ViewState(Duration.ofSeconds(2)), 120, 30);

        assertTrue(screen.get(1).contains("commits 250/s"), "250 commits in one second, not the total of 1250: " + screen.get(1));
        assertTrue(screen.get(1).contains("rows read 8.0k/s"), screen.get(1));
        assertEquals("sort duration \u00b7 4 of 4 sessions, 2 blocked \u00b7 waits Lock 2, Client 1, Timeout 1", screen.get(2));
        assertTrue(screen.getFirst().endsWith("every 2 s  refresh 2 statements 4 ms"), "what a refresh costs: " + screen.getFirst());
    }

    @Test
    void firstSnapshotSaysRatesComeWithTheNext() {
        Frame first = Frame.first(Fixtures.postgres().get(1), 3);
        assertTrue(text(first, new ViewState(Duration.ofSeconds(2)), 100, 24).get(1).contains("rates after the next refresh"));
    }

    @Test
    void aCounterThatWentDownHasNoRate() {
        List<Activity> pg = Fixtures.postgres();
        Frame reset = Frame.after(Frame.first(pg.get(1), 1), pg.get(0), 1);
        assertNull(reset.rates().get("commits"), "pg_stat_reset: no negative rate");
    }

    @Test
    void sortingKeepsTreesWholeAndFollowsTheKey() {
        Frame frame = Fixtures.frame(Fixtures.sqlServer());
        ViewState state = new ViewState(Duration.ofSeconds(2));

        assertEquals(List.of("61", "52", "53"), ids(frame, state), "duration: the 52 s INSERT first, then 52's tree");
        state.sort(ViewState.Sort.CPU);
        assertEquals(List.of("52", "53", "61"), ids(frame, state), "CPU: 52 used 950 ms/s, 61 only 50");
        state.sort(ViewState.Sort.IO);
        assertEquals(List.of("61", "52", "53"), ids(frame, state), "I/O: 61 read 20k pages/s");
        state.sort(ViewState.Sort.WAITS);
        assertEquals(List.of("52", "53", "61"), ids(frame, state), "waits: the tree with a waiter first");

        List<String> screen = text(frame, state, 100, 24);
        assertTrue(screen.get(3).contains("CPU ms/s") && screen.get(3).contains("IO/s"), "SQL Server reports CPU and I/O: " + screen.get(3));
        assertTrue(screen.get(4).contains(" 950 "), screen.get(4));
    }

    @Test
    void postgresReportsNoCpuPerSessionSoTheColumnIsNotShown() {
        List<String> screen = text(Fixtures.frame(Fixtures.postgres()), new ViewState(Duration.ofSeconds(2)), 160, 24);
        assertFalse(screen.get(3).contains("CPU"), screen.get(3));
    }

    @Test
    void filtersByUserDatabaseApplicationOrQueryTextKeepingTrees() {
        Frame frame = Fixtures.frame(Fixtures.postgres());
        ViewState state = new ViewState(Duration.ofSeconds(2));

        state.filter(ViewState.Filter.parse("user:reports"));
        assertEquals(List.of("5001"), ids(frame, state));
        state.filter(ViewState.Filter.parse("app:worker-2"));
        assertEquals(List.of("4242", "4243", "4244"), ids(frame, state), "a waiter that matches brings its tree");
        state.filter(ViewState.Filter.parse("revenue"));
        assertEquals(List.of("5001"), ids(frame, state));
        state.filter(ViewState.Filter.parse("db:other"));
        assertEquals(List.of(), ids(frame, state));
        assertTrue(text(frame, state, 80, 24).contains("no session matches the filter db:other"));
        state.filter(ViewState.Filter.parse(""));
        assertEquals(4, ids(frame, state).size(), "an empty filter clears it");
    }

    @Test
    void expandedSessionShowsFullQueryLocksPlanAndTheStatementsToEndItWithoutRunningThem() {
        Frame frame = Fixtures.frame(Fixtures.postgres());
        ViewState state = new ViewState(Duration.ofSeconds(2));
        state.expand("4243");
        QueryPlan plan = QueryPlan.of(List.of("Update on accounts  (cost=0.15..8.17 rows=0 width=0)",
                "  ->  Index Scan using accounts_pkey on accounts  (cost=0.15..8.17 rows=1 width=10)"));
        List<String> screen = render(frame, state, plan, 80, 24);

        assertTrue(screen.contains("to cancel (shown, not run):    SELECT pg_cancel_backend(4243)"), String.join("\n", screen));
        assertTrue(screen.contains("to terminate (shown, not run): SELECT pg_terminate_backend(4243)"));
        assertTrue(screen.contains("  UPDATE accounts SET balance = balance + 1 WHERE id = 1"));
        assertTrue(screen.contains("  ShareLock waited for on transactionid"));
        assertTrue(screen.stream().anyMatch(line -> line.startsWith("    ->  Index Scan using accounts_pkey on accounts  (cost=0.15..8.17")),
                "a plan line wider than the screen is cut at its edge: " + String.join("\n", screen));
        assertEquals(24, screen.size());

        assertTrue(render(frame, state, null, 80, 24).contains("plan: asking the server..."));
        assertTrue(render(frame, state, QueryPlan.unavailable("a table it uses is locked by another session"), 80, 24)
                .contains("plan unavailable: a table it uses is locked by another session"));
        state.expand("999");
        assertTrue(render(frame, state, null, 80, 24).contains("\u2500 session 999 has ended"));
    }

    @Test
    void snowflakeShowsQueriesByTheEndOfTheirIdsBytesScannedAsIoAndTheExpandedQuerysWarehouseAndQueueTime() {
        Frame frame = Fixtures.frame(Fixtures.snowflake());
        ViewState state = new ViewState(Duration.ofSeconds(2));
        List<String> screen = text(frame, state, 120, 24);

        assertTrue(screen.get(1).startsWith("running 1 \u00b7 queued 1 \u00b7 blocked 1 \u00b7 warehouses ETL_WH 1 running, 1 queued"),
                screen.get(1));
        assertTrue(screen.get(3).contains("IO/s") && !screen.get(3).contains("CPU"), "bytes scanned, no CPU: " + screen.get(3));
        String report = screen.stream().filter(line -> line.contains("\u2026" + tail(Fixtures.SF_REPORT, 11))).findFirst().orElseThrow(
                () -> new AssertionError(String.join("\n", screen)));
        assertTrue(report.contains(" 50.0M "), "50,000 bytes per elapsed ms are 50 MB/s: " + report);

        state.expand(Fixtures.SF_QUEUED);
        List<String> expanded = render(frame, state, QueryPlan.unavailable("the query is queued and GET_QUERY_OPERATOR_STATS reads completed "
                + "queries only, and no completed run of the same statement is in the recent query history"), 100, 30);
        assertTrue(expanded.contains("to cancel (shown, not run):    SELECT SYSTEM$CANCEL_QUERY('" + Fixtures.SF_QUEUED + "')"),
                String.join("\n", expanded));
        assertTrue(expanded.contains("to terminate (shown, not run): SELECT SYSTEM$ABORT_SESSION(6002)"));
        assertTrue(expanded.contains("warehouse: ETL_WH (Medium)"), String.join("\n", expanded));
        assertTrue(expanded.contains("queued: 25.0 s (overload 25.0 s, provisioning 0 ms)"), String.join("\n", expanded));
        assertTrue(expanded.stream().anyMatch(line -> line.startsWith("plan unavailable: the query is queued")));
    }

    @Test
    void aTracedSessionsDetailsAndJsonCarryTheConfiguredTraceLink() {
        String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        ActiveSession traced = Fixtures.session("9001", "app", "checkout", "active", 5_000, "Lock", "transactionid", List.of(), 0, null,
                null, "UPDATE accounts SET balance = 0 /*traceparent='00-" + traceId + "-00f067aa0ba902b7-01'*/");
        Frame frame = Frame.first(new Activity(Fixtures.T0, 1, Map.of(), Map.of(), List.of(traced)), 1);
        TraceLinks links = TraceLinks.template("https://tempo.example/trace/{traceId}");
        ViewState state = new ViewState(Duration.ofSeconds(2));
        state.expand("9001");
        List<String> details = new Screen(false, links).render(frame, state, new Screen.Context("orders", null, null, null), 100, 30)
                .stream().map(line -> line.toString().stripTrailing()).toList();
        int trace = details.indexOf("trace: " + traceId + "  span 00f067aa0ba902b7");
        assertTrue(trace >= 0, String.join("\n", details));
        assertEquals("  https://tempo.example/trace/" + traceId, details.get(trace + 1));
        assertFalse(render(frame, state, null, 100, 30).stream().anyMatch(line -> line.contains("tempo.example")), "no template, no link");

        Target target = new Target("orders", URI.create("postgresql://db1/shop"), "postgresql", "db1", 5432, "shop", List.of(), Map.of());
        JsonObject session = JsonParser.parseString(SnapshotJson.write(frame, target, "test", 2000, links)).getAsJsonObject()
                .getAsJsonArray("sessions").get(0).getAsJsonObject();
        assertEquals("https://tempo.example/trace/" + traceId, session.get(TraceLinks.URL).getAsString());
        assertFalse(SnapshotJson.write(frame, target, "test", 2000, TraceLinks.none()).contains(TraceLinks.URL), "no template, no field");
    }

    @Test
    void mongoCpuFromCpuNanosAndNotAvailableForAnOperationWithoutIt() {
        Frame frame = Fixtures.frame(Fixtures.mongoWithCpu());
        List<String> screen = text(frame, new ViewState(Duration.ofSeconds(2)), 120, 24);

        assertTrue(screen.get(3).contains("CPU ms/s") && !screen.get(3).contains("IO/s"), screen.get(3));
        String scan = screen.stream().filter(line -> line.contains("8101 ")).findFirst().orElseThrow();
        assertTrue(scan.contains(" 750 "), "1.5 s of CPU in 2 s: " + scan);
        String idle = screen.stream().filter(line -> line.contains("idle tx")).findFirst().orElseThrow(() -> new AssertionError(String.join("\n", screen)));
        assertTrue(idle.contains(" n/a "), "no cpuNanos for an idle transaction: " + idle);

        ViewState state = new ViewState(Duration.ofSeconds(2));
        state.expand("8101");
        List<String> expanded = render(frame, state, QueryPlan.of(List.of("planSummary: COLLSCAN")), 100, 30);
        assertTrue(expanded.contains("i/o: n/a (currentOp reports no per-operation I/O)"), String.join("\n", expanded));
        assertTrue(expanded.contains("yields: 3120"));
    }

    @Test
    void serverTextCannotDriveTheTerminal() {
        Activity hostile = new Activity(Fixtures.T0, 2, Map.of("connections", "1 of 10\u001b[2J"), Map.of(), List.of(
                Fixtures.session("1", "evil\u001b]0;pwned\u0007", "app\u009b31m", "active", 1000, null, null, List.of(), 0, null, null,
                        "SELECT 1 /* \u001b[2J\u001b[H */\nFROM x")));
        ViewState state = new ViewState(Duration.ofSeconds(2));
        state.expand("1");
        for (boolean color : List.of(true, false)) {
            for (AttributedString line : new Screen(color).render(Frame.first(hostile, 1), state,
                    new Screen.Context("orders", null, QueryPlan.of(List.of("Seq Scan \u001b[31m")), null), 200, 40)) {
                String plain = line.toString();
                assertFalse(plain.chars().anyMatch(c -> c == 0x1b || c == 0x07 || c == 0x9b), "escaped: " + plain);
            }
        }
    }

    @Test
    void noColourMeansNoEscapeSequencesAtAll() {
        ViewState state = new ViewState(Duration.ofSeconds(2));
        for (AttributedString line : new Screen(false).render(Fixtures.frame(Fixtures.postgres()), state,
                new Screen.Context("orders", "LATE", null, null), 80, 24)) {
            assertFalse(line.toAnsi().contains("\u001b"), "NO_COLOR: plain text: " + line.toAnsi());
        }
        boolean coloured = new Screen(true).render(Fixtures.frame(Fixtures.postgres()), state, new Screen.Context("orders", null, null, null), 80, 24)
                .stream().anyMatch(line -> !line.toAnsi().equals(line.toString()));
        assertTrue(coloured, "with colour allowed, the header and the selection are styled");
    }

    @Test
    void widerTerminalsShowMoreColumnsAndNarrowOnesKeepTheEssentials() {
        Frame frame = Fixtures.frame(Fixtures.postgres());
        ViewState state = new ViewState(Duration.ofSeconds(2));
        String narrow = text(frame, state, 80, 24).get(3);
        String wide = text(frame, state, 160, 50).get(3);

        for (String essential : List.of("ID", "USER", "STATE", "TIME", "WAIT", "QUERY")) {
            assertTrue(narrow.contains(essential), narrow);
        }
        assertFalse(narrow.contains("CLIENT"), narrow);
        assertTrue(wide.contains("CLIENT") && wide.contains("APP") && wide.contains("BLOCKED BY"), wide);
        assertEquals(50, text(frame, state, 160, 50).size(), "the screen follows a resize");
    }

    @Test
    void statusAndPauseShowInTheTitleAndTheFilterBeingTypedInTheFooter() {
        ViewState state = new ViewState(Duration.ofSeconds(2));
        state.togglePause();
        state.slower(false);
        List<String> screen = new Screen(false).render(Fixtures.frame(Fixtures.postgres()), state,
                new Screen.Context("orders", "connection lost: refused; reconnecting in 4 s", null, "user:rep"), 140, 24)
                .stream().map(AttributedString::toString).toList();

        assertTrue(screen.getFirst().contains("ms  PAUSED  connection lost: refused; reconnecting in 4 s"), screen.getFirst());
        assertTrue(screen.getLast().startsWith("filter (user:NAME, db:NAME, app:NAME or text; Enter applies, empty clears): user:rep_"),
                screen.getLast());
    }

    @Test
    void theSelectedRowIsMarkedAndStaysInViewWhenTheListScrolls() {
        Frame frame = Fixtures.frame(Fixtures.postgres());
        ViewState state = new ViewState(Duration.ofSeconds(2));
        state.select(3);
        List<String> tiny = text(frame, state, 80, 7);

        assertEquals(7, tiny.size());
        assertTrue(tiny.stream().anyMatch(line -> line.startsWith(">") && line.contains("4244")), String.join("\n", tiny));
    }

    private static List<String> ids(Frame frame, ViewState state) {
        return Arrangement.rows(frame, state).stream().map(ActiveSession::id).toList();
    }

    private static int rowOf(List<String> screen, String text) {
        for (int i = 0; i < screen.size(); i++) {
            // After the selection marker (one column), the ID column: the tree's indentation, then the id.
            if (screen.get(i).length() > 1 && screen.get(i).substring(1).strip().startsWith(text)) {
                return i;
            }
        }
        return -1;
    }

    private static List<String> text(Frame frame, ViewState state, int columns, int rows) {
        return render(frame, state, null, columns, rows);
    }

    private static List<String> render(Frame frame, ViewState state, QueryPlan plan, int columns, int rows) {
        return new Screen(false).render(frame, state, new Screen.Context("orders", null, plan, null), columns, rows).stream()
                .map(line -> line.toString().stripTrailing()).toList();
    }
}
