package dbtool.toolkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ValuesTest {

    @Test
    void wholeNumbersAreLongsWhateverTheirColumnType() throws SQLException {
        // SQL Server's DECIMAL(19,0) and Snowflake's NUMBER(38,0) arrive as BigDecimal; INT as Integer.
        assertEquals(5L, Values.plain(new BigDecimal("5")));
        assertEquals(5L, Values.plain(5));
        assertEquals(5L, Values.plain((short) 5));
        assertEquals(5L, Values.plain(BigInteger.valueOf(5)));
        assertEquals(5L, Values.plain(5L));
        assertInstanceOf(Double.class, Values.plain(new BigInteger("99999999999999999999")));
    }

    @Test
    void fractionsAreDoublesByTheirType() throws SQLException {
        assertEquals(2.5, Values.plain(new BigDecimal("2.5")));
        // NUMERIC(10,2): a Double even where the value is whole, so the metric keeps one JSON type.
        assertEquals(5.0, Values.plain(new BigDecimal("5.00")));
        assertEquals(1.5, Values.plain(1.5f));
    }

    @Test
    void timesAreInstantsAndNullStaysNull() throws SQLException {
        Instant now = Instant.parse("2026-01-02T03:04:05Z");
        assertEquals("2026-01-02T03:04:05Z", Values.plain(Timestamp.from(now)));
        assertNull(Values.plain(null));
        assertEquals(true, Values.plain(true));
    }

    @Test
    void readersFallBackToIgnoringCaseAndReadNumericText() {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("ELAPSED_SECONDS", "42");
        row.put("state", "idle in\n transaction");
        row.put("flag", "1");
        row.put("pids", List.of(1L, 2));
        row.put("at", "2026-01-02T03:04:05Z");
        assertEquals(42, Values.longValue(row, "elapsed_seconds"));
        assertEquals(42.0, Values.doubleValue(row, "ELAPSED_SECONDS"));
        assertEquals("idle in transaction", Values.line(row, "STATE"));
        assertTrue(Values.bool(row, "flag"));
        assertEquals(List.of(1L, 2L), Values.longs(row, "pids"));
        assertEquals(Instant.parse("2026-01-02T03:04:05Z"), Values.instant(row, "at"));
        assertEquals(0, Values.longValue(row, "missing"));
        assertEquals("", Values.text(row, "missing"));
    }

    @Test
    void anUnknownNumberStaysUnknownWhereZeroWouldMislead() {
        // MariaDB's SHOW REPLICA STATUS answers Seconds_Behind_Master NULL when replication is broken: not "0 s behind".
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("Seconds_Behind_Master", null);
        row.put("Relay_Log_Space", "1024");
        row.put("Last_Error", "x");
        assertNull(Values.longOrNull(row, "seconds_behind_master"));
        assertEquals(1024L, Values.longOrNull(row, "Relay_Log_Space"));
        assertNull(Values.longOrNull(row, "Last_Error"));
        assertNull(Values.longOrNull(row, "missing"));
        assertEquals(0, Values.longValue(row, "Seconds_Behind_Master"), "where 0 is the documented default");
    }
}
