package dbtool.plugin.postgres.checks;

import static dbtool.testkit.CheckFixtures.context;
import static dbtool.testkit.CheckFixtures.only;
import static dbtool.testkit.CheckFixtures.require;
import static dbtool.testkit.CheckFixtures.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dbtool.spi.CheckResult;
import dbtool.spi.Finding;
import dbtool.spi.Severity;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The connection-headroom check's reading of its rows: count(*) as Long, the ::int settings as
 * Long. PostgreSQL 16 added reserved_connections (pg_use_reserved_connections): on 12 the query
 * reserves superuser_reserved_connections only, on 17 both, and the detail says which.
 */
class ConnectionHeadroomCheckTest {

    static final List<Map<String, Object>> BY_USER = List.of(row("user", "app", "connections", 88L));
    static final List<Map<String, Object>> BY_DATABASE = List.of(row("database", "shop", "connections", 90L));

    static ConnectionHeadroomCheck.Rows slots(long connections, long reserved) {
        return new ConnectionHeadroomCheck.Rows(row("connections", connections, "max_connections", 100L, "reserved", reserved),
                BY_USER, BY_DATABASE, List.of(), List.of());
    }

    @Test
    void onPostgres12OnlySuperuserSlotsAreReserved() {
        CheckResult result = ConnectionHeadroomCheck.interpret(slots(90, 3), false, context());
        Finding finding = only(result);
        assertEquals(Severity.WARNING, finding.severity(), "90 of 97 is 93%, between 80% and 95%");
        assertEquals("90 of 97 usable connection slots are taken (93%)", finding.title());
        assertEquals("max_connections is 100; 3 slots are reserved for superusers. New clients get 'too many clients' once the rest are gone.",
                finding.detail());
        assertEquals(BY_USER, finding.evidence().get("byUser"));
        assertEquals(0.928, result.metrics().get("used_ratio"));
        assertEquals(97L, result.metrics().get("usable_connections"));
    }

    @Test
    void onPostgres17ReservedConnectionsCountTooAndTheDetailSaysSo() {
        Finding finding = only(ConnectionHeadroomCheck.interpret(slots(90, 8), true, context()));
        assertEquals(Severity.CRITICAL, finding.severity(), "90 of 92 is 98%");
        assertTrue(finding.detail().startsWith("max_connections is 100; 8 slots are reserved for superusers and pg_use_reserved_connections."),
                finding.detail());
    }

    @Test
    void roleAndDatabaseLimitsAreFindingsOfTheirOwn() {
        CheckResult result = ConnectionHeadroomCheck.interpret(new ConnectionHeadroomCheck.Rows(
                row("connections", 10L, "max_connections", 100L, "reserved", 3L), List.of(), List.of(),
                List.of(row("role", "report\"er", "limit", 5L, "connections", 5L)),
                List.of(row("database", "shop", "limit", 10L, "connections", 9L))), false, context());
        assertEquals(2, result.findings().size(), result.findings().toString());
        Finding role = require(result, "PG_ROLE_CONNECTION_LIMIT");
        assertEquals(Severity.CRITICAL, role.severity(), "at its limit, the role's next login is refused");
        assertEquals("The role report\"er uses 5 of its 5 connections", role.title());
        assertTrue(role.recommendation().endsWith("ALTER ROLE \"report\"\"er\" CONNECTION LIMIT 10;"), role.recommendation());
        assertEquals(Severity.WARNING, require(result, "PG_DATABASE_CONNECTION_LIMIT").severity());
    }

    @Test
    void plentyOfRoomSaysNothing() {
        CheckResult result = ConnectionHeadroomCheck.interpret(new ConnectionHeadroomCheck.Rows(
                row("connections", 10L, "max_connections", 100L, "reserved", 3L), List.of(), List.of(), List.of(), List.of()), true, context());
        assertEquals(List.of(), result.findings());
        assertEquals(10L, result.metrics().get("connections"));
    }
}
