package dbtool.plugin.snowflake;

import dbtool.spi.CheckContext;
import dbtool.spi.LogSource;
import java.sql.SQLException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Snowflake keeps no server log a customer can read; what tells the same story is its history of
 * failed logins ({@code LOGIN_HISTORY}) and failed queries ({@code QUERY_HISTORY}, with their error
 * codes). The last day of both becomes events, one JSON line each ({@code "source":"snowflake"}), in
 * the {@code snowflake} layout that dbtool's log reader reads as it reads a file: time, kind (login
 * or query), error code and message, user, client address or warehouse, the statement.
 */
public final class SnowflakeServerLog {

    // INFORMATION_SCHEMA.LOGIN_HISTORY: login attempts of the last 7 days at most, documented columns (checked 2026-12).
    public static final String FAILED_LOGINS = """
            SELECT EVENT_TIMESTAMP, USER_NAME, CLIENT_IP, REPORTED_CLIENT_TYPE, FIRST_AUTHENTICATION_FACTOR, ERROR_CODE, ERROR_MESSAGE
            FROM TABLE(INFORMATION_SCHEMA.LOGIN_HISTORY(
                   TIME_RANGE_START => DATEADD('hour', -24, CURRENT_TIMESTAMP()), RESULT_LIMIT => 1000))
            WHERE IS_SUCCESS = 'NO'
            ORDER BY EVENT_TIMESTAMP
            """;

    // INFORMATION_SCHEMA.QUERY_HISTORY: the queries that ended with an error code (FAILED_WITH_ERROR or _INCIDENT).
    public static final String FAILED_QUERIES = """
            SELECT END_TIME, QUERY_ID, USER_NAME, WAREHOUSE_NAME, EXECUTION_STATUS, ERROR_CODE, ERROR_MESSAGE,
                   LEFT(QUERY_TEXT, 300) AS QUERY_TEXT
            FROM TABLE(INFORMATION_SCHEMA.QUERY_HISTORY(
                   END_TIME_RANGE_START => DATEADD('hour', -24, CURRENT_TIMESTAMP()), RESULT_LIMIT => 10000))
            WHERE ERROR_CODE IS NOT NULL
            ORDER BY END_TIME
            """;

    /** Snowflake's access-control errors: 003001 insufficient privileges, 002003 object does not exist or not authorized. */
    private static final Set<Integer> NOT_ALLOWED = Set.of(3001, 2003);

    private SnowflakeServerLog() {
    }

    static LogSource.ServerLog read(SnowflakeSession session, long maxBytes, CheckContext context) throws Exception {
        List<Map<String, Object>> logins;
        List<Map<String, Object>> queries;
        try {
            logins = session.query(FAILED_LOGINS, context);
            queries = session.query(FAILED_QUERIES, context);
        } catch (SQLException e) {
            if (NOT_ALLOWED.contains(e.getErrorCode())) {
                throw new LogSource.Unreadable("this role may not read the login and query history (error " + e.getErrorCode()
                        + "): GRANT MONITOR USAGE ON ACCOUNT TO ROLE <role> and GRANT MONITOR ON WAREHOUSE <warehouse> TO ROLE <role>"
                        + " for its queries, with USAGE on a database for INFORMATION_SCHEMA (docs/snowflake.md, A role for dbtool)");
            }
            throw e;
        }
        List<Event> events = new ArrayList<>();
        for (Map<String, Object> row : logins) {
            events.add(new Event(instant(row, "EVENT_TIMESTAMP"), login(row)));
        }
        for (Map<String, Object> row : queries) {
            events.add(new Event(instant(row, "END_TIME"), query(row)));
        }
        events.sort(Comparator.comparing(Event::time, Comparator.nullsFirst(Comparator.naturalOrder())));
        // Oldest first: keep the newest events within the byte bound.
        Deque<String> lines = new ArrayDeque<>();
        long bytes = 0;
        for (Event event : events) {
            lines.addLast(event.line());
            bytes += event.line().length();
            while (bytes > maxBytes && !lines.isEmpty()) {
                bytes -= lines.removeFirst().length();
            }
        }
        return new LogSource.ServerLog("LOGIN_HISTORY and QUERY_HISTORY (failed logins and queries of the last 24 hours)", "snowflake",
                null, String.join("", lines));
    }

    private record Event(Instant time, String line) {
    }

    /** The time of an event, to order logins and queries together (ISO text sorts wrongly when fractions differ). */
    private static Instant instant(Map<String, Object> row, String column) {
        try {
            return Instant.parse(String.valueOf(row.get(column)));
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    static String login(Map<String, Object> row) {
        return new Line().field("source", "snowflake").field("event", "login").field("timestamp", text(row, "EVENT_TIMESTAMP"))
                .field("code", code(row)).field("message", text(row, "ERROR_MESSAGE")).field("user", text(row, "USER_NAME"))
                .field("host", text(row, "CLIENT_IP")).field("client", text(row, "REPORTED_CLIENT_TYPE"))
                .field("factor", text(row, "FIRST_AUTHENTICATION_FACTOR")).end();
    }

    static String query(Map<String, Object> row) {
        return new Line().field("source", "snowflake").field("event", "query").field("timestamp", text(row, "END_TIME"))
                .field("code", code(row)).field("message", text(row, "ERROR_MESSAGE")).field("user", text(row, "USER_NAME"))
                .field("warehouse", text(row, "WAREHOUSE_NAME")).field("status", text(row, "EXECUTION_STATUS"))
                .field("queryId", text(row, "QUERY_ID")).field("statement", text(row, "QUERY_TEXT")).end();
    }

    /** Snowflake's error codes are written with six digits (390100, 000630); the column is a number or text. */
    private static String code(Map<String, Object> row) {
        String code = text(row, "ERROR_CODE");
        if (code == null) {
            return null;
        }
        String digits = code.endsWith(".0") ? code.substring(0, code.length() - 2) : code;
        return digits.chars().allMatch(Character::isDigit) && digits.length() < 6 ? "0".repeat(6 - digits.length()) + digits : digits;
    }

    private static String text(Map<String, Object> row, String column) {
        Object value = row.get(column);
        return value == null ? null : String.valueOf(value);
    }

    /** One JSON object on one line, its strings escaped (the plugin has no JSON library, and needs only this). */
    private static final class Line {
        private final StringBuilder out = new StringBuilder("{");

        Line field(String name, String value) {
            if (value == null) {
                return this;
            }
            if (out.length() > 1) {
                out.append(',');
            }
            quote(name);
            out.append(':');
            quote(value);
            return this;
        }

        String end() {
            return out.append("}\n").toString();
        }

        private void quote(String text) {
            out.append('"');
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                switch (c) {
                    case '"' -> out.append("\\\"");
                    case '\\' -> out.append("\\\\");
                    case '\n' -> out.append("\\n");
                    case '\r' -> out.append("\\r");
                    case '\t' -> out.append("\\t");
                    default -> {
                        if (c < 0x20 || c == 0x2028 || c == 0x2029) {
                            out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                        } else {
                            out.append(c);
                        }
                    }
                }
            }
            out.append('"');
        }
    }
}
