package dbtool.plugin.postgres.checks;

import static dbtool.testkit.CheckFixtures.context;
import static dbtool.testkit.CheckFixtures.only;
import static dbtool.testkit.CheckFixtures.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dbtool.spi.CheckResult;
import dbtool.spi.Finding;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The sizes check's reading of pg_database_size() (bigint, NULL without CONNECT) and the pg_wal total; the same on PostgreSQL 12 and 17. */
class SizesCheckTest {

    static final List<Map<String, Object>> DATABASES = List.of(
            row("database", "shop", "bytes", 3L * 1024 * 1024 * 1024),
            row("database", "postgres", "bytes", 8L * 1024 * 1024),
            row("database", "payroll", "bytes", null));

    @Test
    void theLargestDatabaseAndPgWalAndTheDatabasesThatMayNotBeMeasured() {
        CheckResult result = SizesCheck.interpret(DATABASES, 512L * 1024 * 1024, context());
        Finding finding = only(result);
        assertEquals("Largest database: shop 3.0 GB; pg_wal holds 512.0 MB", finding.title());
        assertEquals(List.of(Map.of("database", "shop", "size", "3.0 GB"), Map.of("database", "postgres", "size", "8.0 MB"),
                Map.of("database", "payroll", "size", "no CONNECT privilege")), finding.evidence().get("databases"));
        @SuppressWarnings("unchecked")
        Map<String, Object> first = ((List<Map<String, Object>>) finding.evidence().get("databases")).getFirst();
        assertEquals(List.of("database", "size"), List.copyOf(first.keySet()), "the table's columns in the same order on every run");
        assertEquals(3L * 1024 * 1024 * 1024 + 8L * 1024 * 1024, result.metrics().get("total_database_bytes"));
        assertEquals(512L * 1024 * 1024, result.metrics().get("wal_bytes"));
    }

    @Test
    void withoutTheRightToListPgWalItsSizeIsLeftOutNotZero() {
        CheckResult result = SizesCheck.interpret(DATABASES, null, context());
        assertEquals("Largest database: shop 3.0 GB", only(result).title());
        assertFalse(result.metrics().containsKey("wal_bytes"));
    }
}
