package dbtool.logs.mining;

import java.util.ArrayList;
import java.util.List;
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
        return split(masked(message));
    }

    /**
     * The masked message: its masked tokens joined by one space. Tokens hold no whitespace, so this
     * is the token sequence as one string, cheap to hash: the miner keys its cache of lines already
     * seen on it. One pass that appends into one buffer, with no string per token.
     */
    public static String masked(String message) {
        return masked(message, new StringBuilder(message.length() + 16)).toString();
    }

    /**
     * {@link #masked(String)} into {@code out} (emptied first), for a caller that reuses one buffer
     * and reads the result without making a string of it: returns {@code out}, or the message itself
     * when there was nothing to mask and no whitespace to join.
     */
    public static CharSequence masked(String message, StringBuilder out) {
        out.setLength(0);
        String text = maskQuoted(message);
        int n = text.length();
        // tokens that stay as they are, with one space between them, are copied as one run
        int runStart = -1;
        int runEnd = -1;
        int i = 0;
        while (true) {
            int separator = i;
            while (i < n && isSpace(text.charAt(i))) {
                i++;
            }
            if (i >= n) {
                break;
            }
            int start = i;
            boolean digit = false;
            while (i < n) {
                char c = text.charAt(i);
                if (c <= ' ' && isSpace(c)) {
                    break;
                }
                digit |= c >= '0' && c <= '9';
                i++;
            }
            boolean first = runStart < 0 && out.isEmpty();
            if (!digit && !maskedWithoutDigit(text, start, i)) {
                if (runStart >= 0 && separator == runEnd && start == runEnd + 1 && text.charAt(runEnd) == ' ') {
                    runEnd = i;
                } else {
                    if (runStart >= 0) {
                        out.append(text, runStart, runEnd);
                    }
                    if (!first) {
                        out.append(' ');
                    }
                    runStart = start;
                    runEnd = i;
                }
                // the fast path: plain tokens one space apart extend the run without leaving this loop
                while (i + 1 < n && text.charAt(i) == ' ') {
                    int next = i + 1;
                    int end = next;
                    boolean plain = true;
                    while (end < n) {
                        char c = text.charAt(end);
                        if (c <= ' ' && isSpace(c)) {
                            break;
                        }
                        if (c >= '0' && c <= '9') {
                            plain = false;
                            break;
                        }
                        end++;
                    }
                    if (!plain || end == next || maskedWithoutDigit(text, next, end)) {
                        break; // a token to mask (or a second space): the general path takes it from its start
                    }
                    runEnd = end;
                    i = end;
                }
                continue;
            }
            if (runStart >= 0) {
                out.append(text, runStart, runEnd);
                runStart = -1;
            }
            if (!first) {
                out.append(' ');
            }
            maskToken(text, start, i, out);
        }
        if (runStart == 0 && runEnd == n && out.isEmpty()) {
            return text; // nothing to mask, nothing to join: the message is its own key
        }
        if (runStart >= 0) {
            out.append(text, runStart, runEnd);
        }
        return out;
    }

    /** Whether a token without a digit may still be masked: a path, a month or weekday name. */
    private static boolean maskedWithoutDigit(String text, int start, int end) {
        char first = text.charAt(start);
        return first == '/' || (end - start > 2 && text.charAt(start + 1) == ':') || isCalendarName(text, start, end);
    }

    /** The tokens of a {@link #masked} message. */
    public static List<String> split(String masked) {
        List<String> tokens = new ArrayList<>(16);
        int start = 0;
        int n = masked.length();
        while (start < n) {
            int space = masked.indexOf(' ', start);
            int end = space < 0 ? n : space;
            tokens.add(masked.substring(start, end));
            start = end + 1;
        }
        return tokens;
    }

    private static boolean isSpace(char c) {
        // one comparison for every character that is not a space or a control character
        return c <= ' ' && (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0x0B);
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

    /** The masked token, for tests and the path case. */
    static String maskToken(String text, int start, int end) {
        StringBuilder out = new StringBuilder(end - start + 8);
        maskToken(text, start, end, out);
        return out.toString();
    }

    /** Appends the masked form of the token {@code text[start, end)} to {@code out}. */
    static void maskToken(String text, int start, int end, StringBuilder out) {
        if (isCalendarName(text, start, end)) {
            out.append(WILDCARD);
            return;
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
                    String file = maskToken(text, lastSlash + 1, end);
                    if (hasDigit(text, start, lastSlash) || file.contains(WILDCARD)) {
                        out.append('/').append(WILDCARD).append('/').append(file);
                        return;
                    }
                }
                out.append(WILDCARD).append(text, pathEnd, end);
                return;
            }
        }
        // every variable holds a digit: most tokens (words) have none and are done here
        int i = start;
        while (i < end && !isDigit(text.charAt(i))) {
            i++;
        }
        if (i == end) {
            out.append(text, start, end);
            return;
        }
        int mark = out.length();
        int copied = start;
        boolean masked = false;
        i = start;
        while (i < end) {
            char c = text.charAt(i);
            boolean boundaryBefore = i == start || !isAlnum(text.charAt(i - 1));
            if (boundaryBefore && (isHexDigit(c) || ((c == '-' || c == '+') && i + 1 < end && isDigit(text.charAt(i + 1))))) {
                int variableEnd = variableEnd(text, i, end);
                if (variableEnd > i) {
                    out.append(text, copied, i).append(WILDCARD);
                    masked = true;
                    i = variableEnd;
                    copied = i;
                    continue;
                }
            }
            i++;
        }
        out.append(text, copied, end);
        // one id in parts after a lower-case kind: job_1445144423722_0020, attempt_..._m_000001_0, rdd_2_0
        if (masked && out.indexOf("_" + WILDCARD + "_", mark) >= 0) {
            String parts = ID_PARTS.matcher(out.substring(mark)).replaceAll(WILDCARD);
            out.setLength(mark);
            out.append(parts);
        }
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

    /** The month and weekday abbreviations, three letters each, one after the other. */
    private static final String CALENDAR = "JanFebMarAprMayJunJulAugSepOctNovDecMonTueWedThuFriSatSun";

    /** A month or weekday abbreviation, as in a timestamp written inside a message. */
    private static boolean isCalendarName(String s, int start, int end) {
        if (end - start != 3) {
            return false;
        }
        char a = s.charAt(start);
        char b = s.charAt(start + 1);
        char c = s.charAt(start + 2);
        if (a < 'A' || a > 'W' || b < 'a' || b > 'u' || c < 'b' || c > 'y') {
            return false; // not a capital and two lower-case letters in their range: most words leave here
        }
        for (int i = 0; i < CALENDAR.length(); i += 3) {
            if (CALENDAR.charAt(i) == a && CALENDAR.charAt(i + 1) == b && CALENDAR.charAt(i + 2) == c) {
                return true;
            }
        }
        return false;
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
