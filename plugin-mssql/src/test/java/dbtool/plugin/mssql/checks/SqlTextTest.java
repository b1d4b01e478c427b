package dbtool.plugin.mssql.checks;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dbtool.plugin.mssql.ServerInfo;
import dbtool.testkit.tds.TdsAnswer;
import dbtool.testkit.tds.TdsResult;
import dbtool.testkit.tds.TdsScenario;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import net.sf.jsqlparser.expression.Alias;
import net.sf.jsqlparser.parser.CCJSqlParserUtil;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.statement.select.PlainSelect;
import net.sf.jsqlparser.statement.select.Select;
import net.sf.jsqlparser.statement.select.SelectItem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every shipped T-SQL statement parses, and the columns its SELECT list names are the columns the
 * canned scenarios answer it with (else the fixtures would only agree with themselves). Statements
 * are found by reflection: every {@code static final String} field named {@code *SQL} of the checks
 * and of {@link ServerInfo}, so a new statement cannot go unparsed.
 */
class SqlTextTest {

    static Map<String, String> statements() {
        Map<String, String> all = new TreeMap<>();
        List<Class<?>> owners = new ArrayList<>();
        owners.add(ServerInfo.class);
        SqlServerChecks.all().forEach(check -> owners.add(check.getClass()));
        for (Class<?> owner : owners) {
            for (Field field : owner.getDeclaredFields()) {
                int modifiers = field.getModifiers();
                if (Modifier.isStatic(modifiers) && Modifier.isFinal(modifiers) && field.getType() == String.class
                        && field.getName().endsWith("SQL")) {
                    field.setAccessible(true);
                    try {
                        all.put(owner.getSimpleName() + "." + field.getName(), (String) field.get(null));
                    } catch (IllegalAccessException e) {
                        throw new AssertionError(e);
                    }
                }
            }
        }
        return all;
    }

    static Stream<String> names() {
        return statements().keySet().stream();
    }

    /** Every scenario the tests stage: together they answer every statement. */
    private static List<TdsScenario> scenarios() {
        return List.of(SqlServerScenario.healthy(), SqlServerScenario.blocking(SqlServerScenario.healthy()),
                SqlServerScenario.pressure(SqlServerScenario.healthy()), SqlServerScenario.azureSqlDatabase(), SqlServerScenario.managedInstance(),
                SqlServerScenario.orphanedDistributedTransaction(SqlServerScenario.healthy()),
                SqlServerScenario.blockedParallelQuery(SqlServerScenario.healthy()),
                SqlServerScenario.disconnectedSecondary(SqlServerScenario.healthy()),
                SqlServerScenario.truncatedDeadlockHistory(SqlServerScenario.healthy()),
                SqlServerScenario.stoppedSystemHealth(SqlServerScenario.healthy()), SqlServerScenario.sqlServer2016WithTornRingBuffer());
    }

    @ParameterizedTest
    @MethodSource("names")
    void parses(String name) {
        String sql = statements().get(name);
        assertDoesNotThrow(() -> CCJSqlParserUtil.parse(sql, parser -> parser.withSquareBracketQuotation(true)), name);
    }

    @ParameterizedTest
    @MethodSource("names")
    void theScenariosAnswerWithTheColumnsTheStatementSelects(String name) throws Exception {
        String sql = statements().get(name);
        List<String> selected = selectList(sql);
        List<List<String>> answered = new ArrayList<>();
        for (TdsScenario scenario : scenarios()) {
            for (TdsAnswer answer : scenario.cannedAnswers(sql)) {
                results(answer).forEach(result -> answered.add(result.columnNames()));
            }
        }
        assertFalse(answered.isEmpty(), name + " has no canned rows in any scenario");
        for (List<String> columns : answered) {
            assertEquals(selected, columns, name + ": the canned columns differ from the SELECT list");
        }
    }

    private static List<TdsResult> results(TdsAnswer answer) {
        return switch (answer) {
            case TdsAnswer.Results r -> r.results();
            case TdsAnswer.Delay d -> results(d.then());
            default -> List.of();
        };
    }

    /** The names a SELECT list gives its columns: the alias, or the column's own name. */
    static List<String> selectList(String sql) throws Exception {
        Select select = (Select) CCJSqlParserUtil.parse(sql, parser -> parser.withSquareBracketQuotation(true));
        PlainSelect plain = select.getPlainSelect();
        List<String> names = new ArrayList<>();
        for (SelectItem<?> item : plain.getSelectItems()) {
            Alias alias = item.getAlias();
            if (alias != null) {
                names.add(alias.getName());
            } else if (item.getExpression() instanceof Column column) {
                names.add(column.getColumnName());
            } else {
                fail("a select item without a name: " + item + " in " + sql);
            }
        }
        return names;
    }

    @Test
    void everyCheckHasItsStatementsFoundByReflection() {
        Map<String, String> all = statements();
        for (var check : SqlServerChecks.all()) {
            assertTrue(all.keySet().stream().anyMatch(k -> k.startsWith(check.getClass().getSimpleName() + ".")),
                    check.getClass().getSimpleName() + " has no static final String *SQL field");
        }
        assertTrue(all.containsKey("ServerInfo.SQL") && all.containsKey("WaitStatsCheck.WAITING_NOW_SQL")
                && all.containsKey("BlockingCheck.ORPHANED_UOW_SQL"), all.keySet().toString());
    }
}
