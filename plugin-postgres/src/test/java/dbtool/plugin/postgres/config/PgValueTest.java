package dbtool.plugin.postgres.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dbtool.spi.UsageException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Values checked the way PostgreSQL 15's pg_settings declares these parameters (its rows copied here). */
class PgValueTest {

    private static final PgValue.Declared WORK_MEM = new PgValue.Declared("work_mem", "integer", "kB", "64", "2147483647", List.of());
    private static final PgValue.Declared SHARED_BUFFERS = new PgValue.Declared("shared_buffers", "integer", "8kB", "16", "1073741823", List.of());
    private static final PgValue.Declared STATEMENT_TIMEOUT = new PgValue.Declared("statement_timeout", "integer", "ms", "0", "2147483647", List.of());
    private static final PgValue.Declared COST_DELAY = new PgValue.Declared("vacuum_cost_delay", "real", "ms", "0", "100", List.of());
    private static final PgValue.Declared RANDOM_PAGE_COST = new PgValue.Declared("random_page_cost", "real", null, "0", "1.79769e+308", List.of());
    private static final PgValue.Declared WAL_LEVEL = new PgValue.Declared("wal_level", "enum", null, null, null, List.of("minimal", "replica", "logical"));
    private static final PgValue.Declared FSYNC = new PgValue.Declared("fsync", "bool", null, null, null, List.of());
    private static final PgValue.Declared NAME = new PgValue.Declared("application_name", "string", null, null, null, List.of());

    @Test
    void memoryUnitsAreConvertedToTheParametersOwnUnit() {
        assertEquals(new PgValue("64MB", "65536"), PgValue.parse(WORK_MEM, "64MB"));
        assertEquals(new PgValue("1GB", "1048576"), PgValue.parse(WORK_MEM, "1gb"));
        assertEquals(new PgValue("4096", "4096"), PgValue.parse(WORK_MEM, "4096"));
        assertEquals(new PgValue("1.5MB", "1536"), PgValue.parse(WORK_MEM, "1.5MB"));
        // shared_buffers counts 8 kB pages
        assertEquals(new PgValue("256MB", "32768"), PgValue.parse(SHARED_BUFFERS, "256MB"));
    }

    @Test
    void timeUnitsAreConvertedToo() {
        assertEquals(new PgValue("500ms", "500"), PgValue.parse(STATEMENT_TIMEOUT, "500ms"));
        assertEquals(new PgValue("2min", "120000"), PgValue.parse(STATEMENT_TIMEOUT, "2min"));
        assertEquals(new PgValue("1s", "1000"), PgValue.parse(STATEMENT_TIMEOUT, "1 s"));
        assertEquals(new PgValue("500us", "0.5"), PgValue.parse(COST_DELAY, "500us"));
    }

    @Test
    void aWrongUnitNamesTheUnitsThatWork() {
        UsageException e = assertThrows(UsageException.class, () -> PgValue.parse(WORK_MEM, "64XB"));
        assertEquals("work_mem: unknown unit 'XB'; expected one of B, kB, MB, GB, TB, got '64XB'", e.getMessage());
        assertTrue(assertThrows(UsageException.class, () -> PgValue.parse(WORK_MEM, "64ms")).getMessage().contains("unknown unit 'ms'"));
        assertTrue(assertThrows(UsageException.class, () -> PgValue.parse(RANDOM_PAGE_COST, "4MB")).getMessage().contains("takes no unit"));
        assertTrue(assertThrows(UsageException.class, () -> PgValue.parse(WORK_MEM, "lots")).getMessage()
                .startsWith("work_mem: expected a whole number with a unit such as 64MB"));
        assertTrue(assertThrows(UsageException.class, () -> PgValue.parse(WORK_MEM, "1.5")).getMessage().contains("whole number"));
    }

    @Test
    void valuesOutOfRangeAreRefused() {
        UsageException low = assertThrows(UsageException.class, () -> PgValue.parse(WORK_MEM, "32kB"));
        assertEquals("work_mem: 32kB is out of range; expected 64kB to 2147483647kB (32kB given)", low.getMessage());
        assertThrows(UsageException.class, () -> PgValue.parse(WORK_MEM, "3TB"));
        assertThrows(UsageException.class, () -> PgValue.parse(COST_DELAY, "101"));
        assertEquals("100", PgValue.parse(COST_DELAY, "100").base());
    }

    @Test
    void enumsAndBooleansTakeTheServersSpelling() {
        assertEquals(new PgValue("logical", "logical"), PgValue.parse(WAL_LEVEL, "LOGICAL"));
        assertEquals("wal_level: expected one of minimal, replica, logical, got 'maximal'",
                assertThrows(UsageException.class, () -> PgValue.parse(WAL_LEVEL, "maximal")).getMessage());
        assertEquals("off", PgValue.parse(FSYNC, "false").written());
        assertEquals("on", PgValue.parse(FSYNC, "YES").written());
        assertThrows(UsageException.class, () -> PgValue.parse(FSYNC, "maybe"));
        assertEquals("it's", PgValue.parse(NAME, "it's").written());
        assertThrows(UsageException.class, () -> PgValue.parse(NAME, "two\nlines"));
    }

    @Test
    void runningValuesAreComparedAsNumbersWhereTheyAreNumbers() {
        assertTrue(PgValue.same("real", "0.50", "0.5"));
        assertTrue(PgValue.same("integer", "65536", "65536"));
        assertFalse(PgValue.same("integer", "4096", "65536"));
        assertTrue(PgValue.same("enum", "Replica", "replica"));
        assertFalse(PgValue.same("string", "A", "a"));
    }
}
