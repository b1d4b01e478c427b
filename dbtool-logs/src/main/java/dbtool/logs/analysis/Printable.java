package dbtool.logs.analysis;

import dbtool.core.SafeText;
import dbtool.spi.Redaction;

/**
 * Log text as it may be shown: on one line with control characters escaped by core's one rule
 * ({@link SafeText#oneLine}: a log line is server data), password literals masked
 * ({@link Redaction#redactSql}: PostgreSQL logs CREATE ROLE ... PASSWORD '...' word for word with
 * log_statement=ddl), and long text cut.
 */
public final class Printable {

    private Printable() {
    }

    /** {@code text} with its password literals masked, escaped onto one line, cut to {@code max} characters with "..." when longer. */
    public static String of(String text, int max) {
        String escaped = SafeText.oneLine(Redaction.redactSql(text));
        if (escaped == null || escaped.length() <= max) {
            return escaped;
        }
        return escaped.substring(0, max) + "...";
    }
}
