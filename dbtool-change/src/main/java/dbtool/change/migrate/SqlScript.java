package dbtool.change.migrate;

import dbtool.core.DbtoolException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A migration's SQL split into statements the way PostgreSQL reads them: semicolons outside
 * quotes, identifiers, dollar-quoted bodies and comments end a statement. The dry run executes
 * and measures statements one by one, so it needs them separately; Flyway, which applies them,
 * splits the same text with its own parser.
 */
public final class SqlScript {

    /** One statement and the line of the file it starts on. */
    public record Statement(String sql, int line) {

        /** The first words, upper case, for the reports: {@code ALTER TABLE orders ADD COLUMN ...}. */
        public String summary(int max) {
            String oneLine = sql.replaceAll("\\s+", " ").trim();
            return oneLine.length() <= max ? oneLine : oneLine.substring(0, max - 3) + "...";
        }

        /** Statements PostgreSQL refuses inside a transaction block: they run on their own. */
        public boolean transactional() {
            return !NON_TRANSACTIONAL.matcher(sql).find();
        }

        public String upper() {
            return sql.toUpperCase(Locale.ROOT).replaceAll("\\s+", " ").trim();
        }
    }

    private static final Pattern NON_TRANSACTIONAL = Pattern.compile(
            "\\bCONCURRENTLY\\b|^\\s*VACUUM\\b|^\\s*(CREATE|DROP)\\s+DATABASE\\b|^\\s*ALTER\\s+SYSTEM\\b|^\\s*(CREATE|DROP)\\s+TABLESPACE\\b",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern DOLLAR_TAG = Pattern.compile("\\$([A-Za-z_][A-Za-z_0-9]*)?\\$");

    private SqlScript() {
    }

    /**
     * Splits {@code text}; an unterminated quote, identifier, comment or dollar-quoted body is an
     * error naming {@code file} and the line it starts on.
     */
    public static List<Statement> split(String text, String file) {
        List<Statement> statements = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        int line = 1;
        int startLine = -1;
        int i = 0;
        int n = text.length();
        while (i < n) {
            char c = text.charAt(i);
            char next = i + 1 < n ? text.charAt(i + 1) : '\0';
            if (c == '-' && next == '-') {
                int end = text.indexOf('\n', i);
                i = end < 0 ? n : end;
                continue;
            }
            if (c == '/' && next == '*') {
                int openedAt = line;
                int depth = 1;
                i += 2;
                while (i < n && depth > 0) {
                    if (text.charAt(i) == '\n') {
                        line++;
                    }
                    if (text.startsWith("/*", i)) {
                        depth++;
                        i += 2;
                    } else if (text.startsWith("*/", i)) {
                        depth--;
                        i += 2;
                    } else {
                        i++;
                    }
                }
                if (depth > 0) {
                    throw malformed(file, openedAt, "a comment (/*) that is never closed");
                }
                current.append(' ');
                continue;
            }
            if (c == ';') {
                add(statements, current, startLine);
                current.setLength(0);
                startLine = -1;
                i++;
                continue;
            }
            if (!Character.isWhitespace(c) && startLine < 0) {
                startLine = line;
            }
            if (c == '\'' || c == '"') {
                boolean backslashes = c == '\'' && i > 0 && (text.charAt(i - 1) == 'E' || text.charAt(i - 1) == 'e');
                int openedAt = line;
                int j = i + 1;
                while (true) {
                    if (j >= n) {
                        throw malformed(file, openedAt, c == '\'' ? "a string (') that is never closed" : "a quoted identifier (\") that is never closed");
                    }
                    char d = text.charAt(j);
                    if (d == '\n') {
                        line++;
                    }
                    if (backslashes && d == '\\') {
                        j += 2;
                        continue;
                    }
                    if (d == c) {
                        if (j + 1 < n && text.charAt(j + 1) == c) {
                            j += 2;
                            continue;
                        }
                        break;
                    }
                    j++;
                }
                current.append(text, i, j + 1);
                i = j + 1;
                continue;
            }
            if (c == '$') {
                Matcher tag = DOLLAR_TAG.matcher(text).region(i, n);
                boolean parameter = i > 0 && Character.isLetterOrDigit(text.charAt(i - 1));
                if (tag.lookingAt() && !parameter) {
                    String delimiter = tag.group();
                    int end = text.indexOf(delimiter, tag.end());
                    if (end < 0) {
                        throw malformed(file, line, "a dollar-quoted body (" + delimiter + ") that is never closed");
                    }
                    String body = text.substring(i, end + delimiter.length());
                    line += (int) body.chars().filter(ch -> ch == '\n').count();
                    current.append(body);
                    i = end + delimiter.length();
                    continue;
                }
            }
            if (c == '\n') {
                line++;
            }
            current.append(c);
            i++;
        }
        add(statements, current, startLine);
        return statements;
    }

    private static void add(List<Statement> statements, StringBuilder current, int line) {
        String sql = current.toString().strip();
        if (!sql.isEmpty()) {
            statements.add(new Statement(sql, line));
        }
    }

    private static DbtoolException malformed(String file, int line, String what) {
        return DbtoolException.usage(file + ":" + line + ": malformed migration: " + what);
    }
}
