package dbtool.plugin.mssql;

import static dbtool.testkit.CheckFixtures.context;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dbtool.spi.Check;
import dbtool.spi.CheckContext;
import dbtool.spi.CheckResult;
import dbtool.spi.Credentials;
import dbtool.spi.SessionSettings;
import dbtool.spi.Severity;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * The session learns the server's version and edition once, at login, and the guard skips what the
 * server cannot answer before any of the check's statements is sent. A JDBC driver stand-in plays an
 * Azure SQL Database: it answers the server properties and records every statement.
 */
class VersionGuardSessionTest {

    final List<String> statements = new ArrayList<>();

    /** Answers SERVERPROPERTY with these values and every other query with no rows. */
    Driver server(String version, int engineEdition) {
        return new StandInMicrosoftDriver() {
            public Connection connect(String url, Properties info) {
                return proxy(Connection.class, (name, args) -> switch (name) {
                    case "createStatement" -> statement(version, engineEdition, null);
                    case "prepareStatement" -> statement(version, engineEdition, (String) args[0]);
                    default -> null;
                });
            }
        };
    }

    private Object statement(String version, int engineEdition, String prepared) {
        Class<? extends Statement> type = prepared == null ? Statement.class : PreparedStatement.class;
        return proxy(type, (name, args) -> switch (name) {
            case "execute" -> {
                statements.add((String) args[0]);
                yield false;
            }
            case "executeQuery" -> {
                String sql = prepared != null ? prepared : (String) args[0];
                statements.add(sql);
                yield sql.equals(ServerInfo.SQL)
                        ? resultSet(List.of("version", "edition", "engine_edition"), List.of(List.of(version, "SQL Azure", engineEdition)))
                        : sql.contains("AS whole")
                        // what mssql-jdbc and jTDS return for DECIMAL(19,0) and DECIMAL(5,2) columns
                        ? resultSet(List.of("whole", "fraction"), List.of(List.of(new java.math.BigDecimal("5"), new java.math.BigDecimal("2.50"))))
                        : resultSet(List.of("x"), List.of());
            }
            default -> null;
        });
    }

    private static ResultSet resultSet(List<String> columns, List<List<Object>> rows) {
        int[] at = {-1};
        ResultSetMetaData meta = proxy(ResultSetMetaData.class, (name, args) -> switch (name) {
            case "getColumnCount" -> columns.size();
            case "getColumnLabel" -> columns.get((Integer) args[0] - 1);
            default -> null;
        });
        return proxy(ResultSet.class, (name, args) -> switch (name) {
            case "next" -> ++at[0] < rows.size();
            case "getMetaData" -> meta;
            case "getObject", "getString" -> args[0] instanceof Integer i ? rows.get(at[0]).get(i - 1)
                    : rows.get(at[0]).get(columns.indexOf((String) args[0]));
            default -> null;
        });
    }

    interface Answer {
        Object answer(String method, Object[] args) throws Exception;
    }

    @SuppressWarnings("unchecked")
    static <T> T proxy(Class<? extends T> type, Answer answer) {
        return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (self, method, args) -> {
            Object result = answer.answer(method.getName(), args);
            if (result == null && method.getReturnType() == boolean.class) {
                return false;
            }
            if (result == null && method.getReturnType().isPrimitive() && method.getReturnType() != void.class) {
                return 0;
            }
            return result;
        });
    }

    static final CheckContext CONTEXT = context();

    private SqlServerSession session(Driver driver) {
        return new SqlServerPlugin().open(DriverSelectionTest.target("azure", "sqlserver://orders.database.windows.net:1433/orders",
                        Map.of("driver", "mssql-jdbc")), Credentials.password("app", "pw".toCharArray(), "test"), SessionSettings.defaults(),
                () -> List.of(driver), false, Optional.empty());
    }

    private static Check check(String id) {
        return new SqlServerPlugin().checks().stream().filter(c -> c.id().equals(id)).findFirst().orElseThrow();
    }

    @Test
    void onAzureSqlDatabaseTheServerLevelChecksAreSkippedWithoutSendingTheirStatements() throws Exception {
        try (SqlServerSession session = session(server("12.0.2000.8", 5))) {
            CheckResult cpu = check("cpu").run(session, CONTEXT);
            CheckResult deadlocks = check("deadlocks").run(session, CONTEXT);
            CheckResult logSpace = check("log-space").run(session, CONTEXT);

            assertEquals("MSSQL_CHECK_SKIPPED", cpu.findings().getFirst().code());
            assertEquals(Severity.INFO, cpu.findings().getFirst().severity());
            assertTrue(cpu.findings().getFirst().title().startsWith("Not available on Azure SQL Database: it reads sys.dm_os_ring_buffers"));
            assertTrue(deadlocks.findings().getFirst().title().startsWith("Not available on Azure SQL Database"));
            assertTrue(logSpace.findings().isEmpty(), "no rows, no finding");
            assertEquals(1, statements.stream().filter(ServerInfo.SQL::equals).count(), "the version is read once, at login");
            assertTrue(statements.getFirst().startsWith("SET LOCK_TIMEOUT 500;"), statements.getFirst());
            assertTrue(statements.stream().noneMatch(s -> s.contains("sys.dm_os_ring_buffers") || s.contains("sys.dm_xe_session_targets")),
                    "nothing the server cannot answer is sent: " + statements);
            assertTrue(statements.getLast().contains("sys.dm_db_log_space_usage"), "log space of the current database on Azure: "
                    + statements.getLast());
        }
    }

    @Test
    void aWholeNumberIsAnIntegerInTheReportAsOnEveryOtherEngine() throws Exception {
        // Before the toolkit's one conversion, every DECIMAL became a Double: 5 was "5.0" in the JSON report.
        try (SqlServerSession session = session(server("15.0.4298.1", 3))) {
            Map<String, Object> row = session.query("SELECT CAST(5 AS decimal(19,0)) AS whole, CAST(2.5 AS decimal(5,2)) AS fraction",
                    CONTEXT).getFirst();
            assertEquals(5L, row.get("whole"));
            assertEquals(2.5, row.get("fraction"));
        }
    }

    @Test
    void onSqlServer2019TheSameChecksSendTheirStatements() throws Exception {
        try (SqlServerSession session = session(server("15.0.4298.1", 3))) {
            check("cpu").run(session, CONTEXT);
            check("log-space").run(session, CONTEXT);
            assertTrue(statements.stream().anyMatch(s -> s.contains("RING_BUFFER_SCHEDULER_MONITOR")), statements.toString());
            assertTrue(statements.getLast().contains("'Percent Log Used'"), "every database's log from the counters: " + statements.getLast());
        }
    }
}
