package dbtool.plugin.snowflake;

import java.sql.SQLException;
import java.util.Locale;
import java.util.Set;

/**
 * Snowflake has no read-only session mode, so the plugin enforces it on its own statements: one
 * statement per call, starting with a keyword that cannot change anything.
 */
public final class ReadOnlyStatements {

    private static final Set<String> READ_ONLY = Set.of("SELECT", "SHOW", "WITH", "DESCRIBE", "DESC");

    private ReadOnlyStatements() {
    }

    public static void require(String sql) throws SQLException {
        String text = sql.replaceAll("(?s)/\\*.*?\\*/", " ").replaceAll("--[^\\n]*", " ").strip();
        String first = text.split("[\\s(]", 2)[0].toUpperCase(Locale.ROOT);
        String body = text.endsWith(";") ? text.substring(0, text.length() - 1) : text;
        if (!READ_ONLY.contains(first) || body.contains(";")) {
            throw new SQLException("dbtool runs read-only statements only; refused: "
                    + (text.length() > 60 ? text.substring(0, 59) + "…" : text), "25006");
        }
    }
}
