package dbtool.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the docs' example check forgives (run-to-run noise) and what it does not (what a reader would act on). */
class ConsoleExamplesTest {

    private static final List<String> DOC = List.of(
            "$ dbtool troubleshoot orders --check locks",
            "dbtool troubleshoot orders (postgresql, 127.0.0.1:41234/orders)",
            "CRITICAL  5 checks in 61 ms, 2026-12-07 15:22:11Z",
            "  CRITICAL PG_BLOCKING_CHAIN: 3 sessions are blocked behind pid 21761 (idle in transaction for 2 s, billing-api)",
            "    longestWaitSeconds: 2",
            "      pid    seconds  wait",
            "      21762  2        Lock:transactionid",
            "    Do: SELECT pg_terminate_backend(21761);",
            "    metrics: blocked_sessions=3, longest_wait_seconds=2");

    @Test
    void pidsPortsTimesAndAgesMayDiffer() {
        List<String> run = List.of(
                "$ dbtool troubleshoot orders --check locks",
                "dbtool troubleshoot orders (postgresql, 127.0.0.1:39001/orders)",
                "CRITICAL  5 checks in 140 ms, 2027-01-01 00:00:00Z",
                "  CRITICAL PG_BLOCKING_CHAIN: 3 sessions are blocked behind pid 904 (idle in transaction for 1 min, billing-api)",
                "    longestWaitSeconds: 61",
                "      pid  seconds  wait",
                "      905  61       Lock:transactionid",
                "    Do: SELECT pg_terminate_backend(904);",
                "    metrics: blocked_sessions=3, longest_wait_seconds=61");
        assertTrue(ConsoleExamples.matches(DOC, run), String.join("\n", ConsoleExamples.normalise(run)));
    }

    @Test
    void countsSeveritiesAndWhichSessionToEndMayNot() {
        assertFalse(ConsoleExamples.matches(DOC, replace(3, "3 sessions", "4 sessions")), "another count of blocked sessions");
        assertFalse(ConsoleExamples.matches(DOC, replace(3, "  CRITICAL PG", "  WARNING PG")), "another severity");
        assertFalse(ConsoleExamples.matches(DOC, replace(8, "blocked_sessions=3", "blocked_sessions=2")), "another metric");
        // The recommendation names a waiter instead of the head: the same number must keep one name.
        assertFalse(ConsoleExamples.matches(DOC, replace(7, "21761", "21762")), "another session to terminate");
        assertFalse(ConsoleExamples.matches(DOC, DOC.subList(0, DOC.size() - 1)), "a line missing");
    }

    @Test
    void aTablesColumnsDoNotReachTheLinesAfterIt() {
        // The ms column of the stages table stands over the server version's digits in the next line.
        List<String> doc = List.of("    stages:", "      stage  ms  result", "      login  9   ok", "    version: 15.18 (Debian)");
        List<String> run = List.of("    stages:", "      stage  ms  result", "      login  71  ok", "    version: 15.18 (Debian)");
        assertTrue(ConsoleExamples.matches(doc, run), ConsoleExamples.normalise(doc) + " / " + ConsoleExamples.normalise(run));
        assertEquals("version: <version>", ConsoleExamples.normalise(doc).get(3));
    }

    @Test
    void anElisionStandsForAnyLinesAndRegenerationKeepsIt() {
        List<String> elided = List.of(DOC.get(0), DOC.get(1), ConsoleExamples.ELISION, DOC.get(7), DOC.get(8));
        assertTrue(ConsoleExamples.matches(elided, DOC));
        assertFalse(ConsoleExamples.matches(elided, replace(7, "terminate", "cancel")));
        List<String> fresh = replace(3, "3 sessions", "4 sessions");
        assertEquals(elided, ConsoleExamples.withElisions(elided, fresh));
    }

    @Test
    void regenerationCutsWhereTheWriterCutNotAtTheFirstBlankLine() {
        List<String> old = List.of("$ dbtool demo", "header", "", "CRITICAL blocking", "  3 sessions", "", ConsoleExamples.ELISION, "bye");
        List<String> fresh = List.of("$ dbtool demo", "header", "", "CRITICAL blocking", "  4 sessions", "", "OK sizes", "  7 MB", "bye");
        assertEquals(List.of("$ dbtool demo", "header", "", "CRITICAL blocking", "  4 sessions", "", ConsoleExamples.ELISION, "bye"),
                ConsoleExamples.withElisions(old, fresh));
    }

    @Test
    void rewritingABlockLeavesTheRestOfThePage(@TempDir Path dir) throws Exception {
        Path page = dir.resolve("page.md");
        Files.writeString(page, """
                # Title

                <!-- dbtool-example: one -->
                ```console
                $ dbtool version
                old
                ```

                Between.

                <!-- dbtool-example: two -->
                ```console
                $ dbtool plugins
                ```
                """);
        List<ConsoleExamples.Block> blocks = ConsoleExamples.blocks(List.of(page));
        assertEquals(2, blocks.size());
        ConsoleExamples.rewrite(blocks.get(0), List.of("$ dbtool version", "new", "two lines"));
        ConsoleExamples.rewrite(blocks.get(1), List.of("$ dbtool plugins", "postgresql"));
        assertEquals("""
                # Title

                <!-- dbtool-example: one -->
                ```console
                $ dbtool version
                new
                two lines
                ```

                Between.

                <!-- dbtool-example: two -->
                ```console
                $ dbtool plugins
                postgresql
                ```
                """, Files.readString(page));
        Path unmarked = Files.writeString(dir.resolve("other.md"), Files.readString(page).replace("<!-- dbtool-example: two -->", "text"));
        assertEquals(List.of("13 false", "4 true"), ConsoleExamples.consoleBlocks(unmarked).stream()
                .map(b -> b.line() + " " + b.marked()).sorted().toList(), "the second block lost its marker");
    }

    @Test
    void durationsInJsonMayDifferButCountsMayNot() {
        List<String> doc = List.of("$ curl -s http://127.0.0.1:8080/health | jq .", "  \"durationMs\": 229,", "  \"blocked\": 3");
        assertTrue(ConsoleExamples.matches(doc, List.of(doc.get(0), "  \"durationMs\": 1503,", "  \"blocked\": 3")));
        assertFalse(ConsoleExamples.matches(doc, List.of(doc.get(0), "  \"durationMs\": 229,", "  \"blocked\": 4")));
    }

    @Test
    void aQuotedPipeIsAnArgumentAndACommentIsNot() {
        assertEquals(List.of(new ConsoleSession.Word("dbtool", false), new ConsoleSession.Word("route", false), new ConsoleSession.Word("ack", false),
                new ConsoleSession.Word("orders|PG_BLOCKING_CHAIN", true), new ConsoleSession.Word("#", false), new ConsoleSession.Word("note", false)),
                ConsoleSession.words("dbtool route ack 'orders|PG_BLOCKING_CHAIN' # note"));
    }

    private static List<String> replace(int line, String from, String to) {
        List<String> copy = new ArrayList<>(DOC);
        assertTrue(copy.get(line).contains(from), copy.get(line));
        copy.set(line, copy.get(line).replace(from, to));
        return copy;
    }
}
