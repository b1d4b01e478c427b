package dbtool.spi;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The second rule behind {@link Redaction#redactSql(String)}: a secret written as a value of an INSERT, where
 * no keyword stands before the literal, only the column's name in the list at the start
 * ({@code INSERT INTO users (name, password) VALUES ('ann', 'secret'), ('bob', crypt('secret', gen_salt('bf')))}).
 * Every literal in a secret column's value is masked, inside function calls too; the other columns stay readable.
 * An INSERT without a column list, or from a SELECT, names no columns and is left as it is.
 */
final class InsertedSecrets {

    /** {@code INSERT [INTO] table (}, the table's name possibly qualified and quoted. */
    private static final Pattern INSERT = Pattern.compile("(?i)(?<![\\w$])insert(?:" + SqlSecrets.GAP + "into)?"
            + SqlSecrets.GAP + "[\\w$.\"`\\[\\]]+" + "(?:" + SqlSecrets.GAP + ")?\\(");
    private static final Pattern VALUES = Pattern.compile("(?i)values?(?![\\w$])");

    private InsertedSecrets() {
    }

    /** The text with the secret columns' literals masked; the same string when there are none. */
    static String mask(String text) {
        Matcher insert = INSERT.matcher(text);
        List<int[]> secrets = new ArrayList<>();
        int from = 0;
        while (from < text.length() && insert.find(from)) {
            from = values(text, insert.end(), secrets);
        }
        if (secrets.isEmpty()) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        int copied = 0;
        for (int[] literal : secrets) {
            out.append(text, copied, literal[1]).append(Redaction.MASK);
            copied = literal[2];
        }
        return out.append(text, copied, text.length()).toString();
    }

    /** Reads the column list that starts at {@code i} and the VALUES tuples after it; returns where it stopped. */
    private static int values(String text, int i, List<int[]> secrets) {
        List<Boolean> secretColumn = new ArrayList<>();
        int close = text.indexOf(')', i);
        if (close < 0) {
            return text.length();
        }
        for (String column : text.substring(i, close).split(",", -1)) {
            String name = column.strip().replaceAll("^[\"`\\[]|[\"`\\]]$", "");
            secretColumn.add(SqlSecrets.isSecretName(name));
        }
        int at = SqlSecrets.skipGap(text, close + 1);
        Matcher values = VALUES.matcher(text).region(at, text.length());
        if (!secretColumn.contains(Boolean.TRUE) || !values.lookingAt()) {
            return close + 1;
        }
        at = SqlSecrets.skipGap(text, values.end());
        while (at < text.length() && text.charAt(at) == '(') {
            at = tuple(text, at + 1, secretColumn, secrets);
            at = SqlSecrets.skipGap(text, at);
            if (at >= text.length() || text.charAt(at) != ',') {
                break;
            }
            at = SqlSecrets.skipGap(text, at + 1);
        }
        return at;
    }

    /** One tuple's values from {@code i} to its closing parenthesis, which ends it at any depth of calls inside. */
    private static int tuple(String text, int i, List<Boolean> secretColumn, List<int[]> secrets) {
        int column = 0;
        int depth = 0;
        while (i < text.length()) {
            int[] literal = SqlSecrets.literal(text, i);
            if (literal != null) {
                if (column < secretColumn.size() && secretColumn.get(column) && !SqlSecrets.isPlaceholder(text, literal)) {
                    secrets.add(literal);
                }
                i = literal[3];
                continue;
            }
            char c = text.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')' && depth-- == 0) {
                return i + 1;
            } else if (c == ',' && depth == 0) {
                column++;
            }
            i++;
        }
        return i;
    }
}
