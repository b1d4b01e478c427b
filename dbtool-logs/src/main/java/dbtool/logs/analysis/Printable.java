package dbtool.logs.analysis;

import dbtool.core.SafeText;

/**
 * Log text as it may be shown: on one line with control characters escaped by core's one rule
 * ({@link SafeText#oneLine}: a log line is server data), and long text cut.
 */
public final class Printable {

    private Printable() {
    }

    /** {@code text} escaped onto one line, cut to {@code max} characters with "..." when longer. */
    public static String of(String text, int max) {
        String escaped = SafeText.oneLine(text);
        if (escaped == null || escaped.length() <= max) {
            return escaped;
        }
        return escaped.substring(0, max) + "...";
    }
}
