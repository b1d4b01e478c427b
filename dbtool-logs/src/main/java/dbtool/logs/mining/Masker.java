package dbtool.logs.mining;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Splits a log message into tokens and replaces the usual variables inside each token with
 * {@value #WILDCARD}: numbers (signed, decimal, with a unit suffix), hexadecimal values, IPv4
 * addresses with their port, UUIDs, multi-segment paths, and quoted literals (SQL strings in a
 * statement, identifiers in an error). A variable is only masked where it stands on its own:
 * {@code u0} and {@code t761} stay words, {@code blk_-1608999687919862906} becomes
 * {@code blk_<*>}.
 *
 * <p>Written as one pass over the characters rather than a chain of regular expressions: the
 * miner runs it on every line, and it must keep up with a million lines a second.
 */
public final class Masker {

    public static final String WILDCARD = "<*>";

    private Masker() {
    }

    /** The masked tokens of {@code message}, split on whitespace. */
    public static List<String> tokens(String message) {
        List<String> tokens = new ArrayList<>(16);
        String text = maskQuoted(message);
        int n = text.length();
        int i = 0;
        StringBuilder buffer = new StringBuilder(32);
        while (i < n) {
            while (i < n && isSpace(text.charAt(i))) {
                i++;
            }
            int start = i;
            while (i < n && !isSpace(text.charAt(i))) {
                i++;
            }
            if (i > start) {
                tokens.add(maskToken(text, start, i, buffer));
            }
        }
        return tokens;
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0x0B;
    }

    /**
     * Replaces the content of single-quoted literals ({@code 'abc'}, {@code E'..'}) with the
     * wildcard, and of double-quoted ones when they hold no more than a few words, so that a
     * statement's literals and an error's object names do not split a pattern. A quote that is
     * not closed on the line is left alone (an apostrophe in prose).
     */
    static String maskQuoted(String message) {
        int first = firstQuote(message);
        if (first < 0) {
            return message;
        }
        StringBuilder out = new StringBuilder(message.length());
        int n = message.length();
        int copied = 0;
        int i = first;
        while (i < n) {
            char c = message.charAt(i);
            if ((c == '\'' || c == '"') && opensLiteral(message, i)) {
                int close = closingQuote(message, c, i + 1);
                if (close > i + 1 && closesLiteral(message, close) && (c == '\'' || words(message, i + 1, close) <= 3)) {
                    out.append(message, copied, i + 1).append(WILDCARD).append(c);
                    copied = close + 1;
                    i = close + 1;
                    continue;
                }
            }
            i++;
        }
        out.append(message, copied, n);
        return out.toString();
    }

    /** The quote that closes a literal; in a SQL string a doubled quote ('it''s') is part of it. */
    private static int closingQuote(String s, char quote, int from) {
        int close = s.indexOf(quote, from);
        while (quote == '\'' && close >= 0 && close + 1 < s.length() && s.charAt(close + 1) == '\'') {
            close = s.indexOf(quote, close + 2);
        }
        return close;
    }

    private static int firstQuote(String s) {
        int a = s.indexOf('\'');
        int b = s.indexOf('"');
        return a < 0 ? b : b < 0 ? a : Math.min(a, b);
    }

    /** A quote opens a literal after a space, punctuation, or the SQL escape-string prefix E. */
    private static boolean opensLiteral(String s, int i) {
        if (i == 0) {
            return true;
        }
        char before = s.charAt(i - 1);
        return !Character.isLetterOrDigit(before) || (before == 'E' && (i == 1 || !Character.isLetterOrDigit(s.charAt(i - 2))));
    }

    private static boolean closesLiteral(String s, int i) {
        return i + 1 >= s.length() || !Character.isLetterOrDigit(s.charAt(i + 1));
    }

    private static int words(String s, int from, int to) {
        int words = 1;
        for (int i = from; i < to; i++) {
            if (s.charAt(i) == ' ') {
                words++;
            }
        }
        return words;
    }

    static String maskToken(String text, int start, int end, StringBuilder out) {
        if (isCalendarName(text, start, end)) {
            return WILDCARD;
        }
        char first = text.charAt(start);
        if (first == '/' || (end - start > 2 && text.charAt(start + 1) == ':')) {
            int pathEnd = end;
            while (pathEnd > start && ":,;)".indexOf(text.charAt(pathEnd - 1)) >= 0) {
                pathEnd--;
            }
            if (isPath(text, start, pathEnd)) {
                // folders with a number in them (subdir5, a task id), or a file named with a variable, read as
                // the file's kind: /data/current/subdir5/blk_42 reads /<*>/blk_<*>; otherwise the path is one value
                int lastSlash = text.lastIndexOf('/', pathEnd - 1);
                if (text.charAt(start) == '/' && lastSlash > start && lastSlash < pathEnd - 1) {
                    String file = maskToken(text, lastSlash + 1, end, new StringBuilder());
                    if (hasDigit(text, start, lastSlash) || file.contains(WILDCARD)) {
                        return "/" + WILDCARD + "/" + file;
                    }
                }
                return WILDCARD + text.substring(pathEnd, end);
            }
        }
        // every variable holds a digit: most tokens (words) have none and are done here
        int i = start;
        while (i < end && !isDigit(text.charAt(i))) {
            i++;
        }
        if (i == end) {
            return text.substring(start, end);
        }
        out.setLength(0);
        int copied = start;
        i = start;
        while (i < end) {
            char c = text.charAt(i);
            boolean boundaryBefore = i == start || !isAlnum(text.charAt(i - 1));
            if (boundaryBefore && (isHexDigit(c) || ((c == '-' || c == '+') && i + 1 < end && isDigit(text.charAt(i + 1))))) {
                int variableEnd = variableEnd(text, i, end);
                if (variableEnd > i) {
                    out.append(text, copied, i).append(WILDCARD);
                    i = variableEnd;
                    copied = i;
                    continue;
                }
            }
            i++;
        }
        if (copied == start) {
            return text.substring(start, end);
        }
        String masked = out.append(text, copied, end).toString();
        // one id in parts after a lower-case kind: job_1445144423722_0020, attempt_..._m_000001_0, rdd_2_0
        return masked.contains("_" + WILDCARD + "_") ? ID_PARTS.matcher(masked).replaceAll(WILDCARD) : masked;
    }

    private static final Pattern ID_PARTS =
            Pattern.compile("(?<=[a-z]_)<\\*>(?:_(?:[a-z]_)?<\\*>)+");

    /** Where the variable that starts at {@code i} ends, or {@code i} when none starts there. */
    private static int variableEnd(String s, int i, int end) {
        int j = i;
        if (s.charAt(j) == '-' || s.charAt(j) == '+') {
            j++;
        }
        // 0x1f, 0XDEADBEEF
        if (s.charAt(j) == '0' && j + 1 < end && (s.charAt(j + 1) == 'x' || s.charAt(j + 1) == 'X')) {
            int k = j + 2;
            while (k < end && isHexDigit(s.charAt(k))) {
                k++;
            }
            if (k > j + 2 && boundary(s, k, end)) {
                return k;
            }
        }
        // a hash, an identifier such as 9f4ef63, or a UUID: hexadecimal runs (joined by '-') with a
        // digit, six characters or more; short words like 'e2' or 'add' stay
        int k = j;
        boolean digit = false;
        boolean letter = false;
        while (k < end) {
            char c = s.charAt(k);
            if (isDigit(c)) {
                digit = true;
            } else if (isHexLetter(c)) {
                letter = true;
            } else if (!(c == '-' && k + 1 < end && isHexDigit(s.charAt(k + 1)) && letter)) {
                break;
            }
            k++;
        }
        if (digit && letter && k - j >= 6 && boundary(s, k, end)) {
            return k;
        }
        // a decimal: 42, 3.14, 1.2.3, 10.0.0.1, with an optional short
        // unit (12ms, 4kB, 300s)
        k = j;
        if (!isDigit(s.charAt(k))) {
            return i;
        }
        while (k < end) {
            while (k < end && isDigit(s.charAt(k))) {
                k++;
            }
            if (k + 1 < end && (s.charAt(k) == '.' || s.charAt(k) == ',') && isDigit(s.charAt(k + 1))) {
                k++;
            } else {
                break;
            }
        }
        if (boundary(s, k, end)) {
            return k;
        }
        int u = k;
        while (u < end && Character.isLetter(s.charAt(u))) {
            u++;
        }
        return u - k <= 2 && boundary(s, u, end) ? u : i;
    }

    private static boolean boundary(String s, int k, int end) {
        return k >= end || !isAlnum(s.charAt(k));
    }

    /** An absolute path with two or more segments, or a Windows path: /var/lib/x, C:\data\x. */
    private static boolean isPath(String s, int start, int end) {
        if (end - start < 4) {
            return false;
        }
        char c = s.charAt(start);
        if (c == '/') {
            int slashes = 0;
            for (int i = start; i < end; i++) {
                char x = s.charAt(i);
                if (x == '/') {
                    slashes++;
                } else if (!(isAlnum(x) || x == '.' || x == '_' || x == '-')) {
                    return false;
                }
            }
            return slashes >= 2 && s.charAt(start + 1) != '/';
        }
        return Character.isLetter(c) && s.charAt(start + 1) == ':' && s.charAt(start + 2) == '\\';
    }

    private static final Set<String> CALENDAR = Set.of("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul",
            "Aug", "Sep", "Oct", "Nov", "Dec", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun");

    /** A month or weekday abbreviation, as in a timestamp written inside a message. */
    private static boolean isCalendarName(String s, int start, int end) {
        return end - start == 3 && Character.isUpperCase(s.charAt(start)) && CALENDAR.contains(s.substring(start, end));
    }

    private static boolean hasDigit(String s, int start, int end) {
        for (int i = start; i < end; i++) {
            if (isDigit(s.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    static boolean isAlnum(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c > 127 && Character.isLetterOrDigit(c));
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isHexLetter(char c) {
        return (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    private static boolean isHexDigit(char c) {
        return isDigit(c) || isHexLetter(c);
    }
}
