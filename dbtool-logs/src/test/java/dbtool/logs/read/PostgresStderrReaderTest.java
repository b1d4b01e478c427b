package dbtool.logs.read;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dbtool.core.DbtoolException;
import java.io.BufferedReader;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PostgresStderrReaderTest {

    private static List<LogEntry> read(String log, String prefix) throws Exception {
        PostgresStderrReader reader = new PostgresStderrReader(new LineSource(new BufferedReader(new StringReader(log)),
                message -> { throw new AssertionError(message); }), LinePrefix.parse(prefix), true);
        List<LogEntry> entries = new ArrayList<>();
        LogEntry entry;
        while ((entry = reader.next()) != null) {
            entries.add(entry);
        }
        return entries;
    }

    @Test
    void detailHintStatementAndAStatementOverSeveralLinesStayInTheirEntry() throws Exception {
        String log = """
                2026-12-07 10:00:01.123 UTC [4242] app@shop/psql 10.0.0.5 42P01 ERROR:  relation "missing" does not exist at character 15
                2026-12-07 10:00:01.123 UTC [4242] app@shop/psql 10.0.0.5 42P01 STATEMENT:  SELECT *
                	FROM missing
                	WHERE id = 1
                2026-12-07 10:00:02.000 UTC [4243] app@shop/psql 10.0.0.5 40P01 ERROR:  deadlock detected
                2026-12-07 10:00:02.000 UTC [4243] app@shop/psql 10.0.0.5 40P01 DETAIL:  Process 4243 waits for ShareLock on transaction 1; blocked by process 4244.
                	Process 4244 waits for ShareLock on transaction 2; blocked by process 4243.
                	Process 4243: UPDATE a SET v = 1 WHERE id = 2
                	Process 4244: UPDATE a SET v = 1 WHERE id = 1
                2026-12-07 10:00:02.000 UTC [4243] app@shop/psql 10.0.0.5 40P01 HINT:  See server log for query details.
                2026-12-07 10:00:03.000 UTC [99] @ [local] 00000 LOG:  checkpoint starting: time
                """;
        List<LogEntry> entries = read(log, "%m [%p] %q%u@%d/%a %h %e ");
        assertEquals(3, entries.size(), entries.toString());
        LogEntry missing = entries.getFirst();
        assertEquals("2026-12-07 10:00:01.123 UTC", missing.timestamp());
        assertEquals("ERROR", missing.severity());
        assertEquals("42P01", missing.code());
        assertEquals(Map.of("pid", "4242", "user", "app", "database", "shop", "application", "psql", "host", "10.0.0.5",
                "statement", "SELECT *\nFROM missing\nWHERE id = 1"), missing.fields());
        LogEntry deadlock = entries.get(1);
        assertEquals(4, deadlock.field("detail").lines().count(), deadlock.field("detail"));
        assertEquals("See server log for query details.", deadlock.field("hint"));
        LogEntry checkpoint = entries.get(2);
        assertEquals("checkpoint starting: time", checkpoint.message());
        assertNull(checkpoint.field("user"), "a background process has no user (%q stops the prefix)");
        assertEquals(5, deadlock.line(), "an entry is numbered by its first line");
    }

    @Test
    void theDefaultPrefixReadsTheTimestampWhateverFollowsIt() throws Exception {
        PostgresStderrReader reader = new PostgresStderrReader(new LineSource(new BufferedReader(new StringReader(
                "2026-12-07 10:00:01.123 CET [7] someone@db FATAL:  password authentication failed for user \"someone\"\n")),
                message -> { }), LinePrefix.defaultPrefix(), false);
        LogEntry entry = reader.next();
        assertEquals("2026-12-07 10:00:01.123 CET", entry.timestamp());
        assertEquals("7", entry.field("pid"));
    }

    @Test
    void anUnknownEscapeOrATrailingPercentIsAUsageError() {
        assertEquals(64, assertThrows(DbtoolException.class, () -> LinePrefix.parse("%m %y")).exitCode());
        assertEquals(64, assertThrows(DbtoolException.class, () -> LinePrefix.parse("%m %")).exitCode());
        assertEquals("4242", LinePrefix.parse("%m [%-6p] ").fields("2026-12-07 10:00:01.123 UTC [4242  ]").get("pid"));
    }
}
