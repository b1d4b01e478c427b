package dbtool.plugin.mssql.checks;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;

import java.util.Map;
import net.sf.jsqlparser.parser.CCJSqlParserUtil;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every shipped T-SQL statement parses, so a syntax slip fails the build instead of an incident. */
class SqlTextTest {

    static Map<String, String> statements() {
        return Map.of("blocking", BlockingCheck.SQL, "long-requests", LongRequestsCheck.SQL, "connection", ConnectionCheck.SQL,
                "waits", WaitStatsCheck.SQL, "memory", MemoryCheck.SQL, "log-reuse", LogSpaceCheck.SQL,
                "open-transactions", OpenTransactionsCheck.SQL);
    }

    static java.util.stream.Stream<String> names() {
        return statements().keySet().stream().sorted();
    }

    @ParameterizedTest
    @MethodSource("names")
    void parses(String name) {
        String sql = statements().get(name);
        assertDoesNotThrow(() -> CCJSqlParserUtil.parse(sql, parser -> parser.withSquareBracketQuotation(true)), name);
    }
}
