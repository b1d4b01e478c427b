package dbtool.plugin.snowflake.checks;

import dbtool.plugin.snowflake.SnowflakeSession;
import dbtool.spi.AbstractCheck;
import dbtool.spi.CheckContext;
import dbtool.spi.CheckResult;
import dbtool.spi.EngineSession;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * What every Snowflake check shares: the session cast, where playbooks live, and how numbers and
 * names are written for humans and into statements. Each subclass keeps its SQL beside it as text
 * blocks and its interpretation of the rows in a static method that tests call with fixtures.
 */
abstract class SnowflakeCheck extends AbstractCheck<SnowflakeSession> {

    /** Warehouse sizes in order, as SHOW WAREHOUSES and QUERY_HISTORY spell them. */
    static final List<String> SIZES = List.of("X-Small", "Small", "Medium", "Large", "X-Large", "2X-Large", "3X-Large",
            "4X-Large", "5X-Large", "6X-Large");

    private static final Pattern PLAIN_IDENTIFIER = Pattern.compile("[A-Z_][A-Z0-9_$]*");

    SnowflakeCheck(String id, String category, String description) {
        super(SnowflakeSession.class, id, category, description);
    }

    /** A driver class missing from the plugin folder becomes a readable reason, not a LinkageError. */
    @Override
    public final CheckResult run(EngineSession session, CheckContext context) throws Exception {
        try {
            return super.run(session, context);
        } catch (LinkageError e) {
            throw new IllegalStateException(SnowflakeSession.missingClass(e), e);
        }
    }

    static String playbook(String page) {
        return "docs/playbooks/" + page + ".md";
    }

    /** Whether a failure is the role lacking a privilege (so a narrower statement may still work). */
    static boolean accessDenied(SQLException e) {
        String message = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
        return "42501".equals(e.getSQLState()) || e.getErrorCode() == 3001 || message.contains("insufficient privileges")
                || message.contains("access control");
    }

    /** A name as it must appear in a statement: bare when Snowflake would read it unchanged, else quoted. */
    static String identifier(String name) {
        return PLAIN_IDENTIFIER.matcher(name).matches() ? name : "\"" + name.replace("\"", "\"\"") + "\"";
    }

    /** The next warehouse size up, or null at the top or for an unknown size. */
    static String nextSize(String size) {
        for (int i = 0; i < SIZES.size() - 1; i++) {
            if (SIZES.get(i).equalsIgnoreCase(size)) {
                return SIZES.get(i + 1);
            }
        }
        return null;
    }
}
