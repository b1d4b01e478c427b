package dbtool.logs.replay;

import java.util.List;

/**
 * PostgreSQL's {@code $1} placeholders as JDBC's {@code ?}: the log shows extended-protocol statements
 * with {@code $n}, pgjdbc takes {@code ?} in order. Placeholders inside quoted strings, quoted
 * identifiers, dollar-quoted strings and comments are left alone.
 */
final class Placeholders {

    private Placeholders() {
    }

    /** The statement with each {@code $n} as {@code ?}; {@code order} receives each one's n, in order. */
    static String toJdbc(String sql, List<Integer> order) {
        StringBuilder out = new StringBuilder(sql.length());
        int i = 0;
        int n = sql.length();
        while (i < n) {
            char c = sql.charAt(i);
            if (c == '\'' || c == '"') {
                int end = sql.indexOf(c, i + 1);
                while (end > 0 && end + 1 < n && sql.charAt(end + 1) == c) { // a doubled quote stays inside
                    end = sql.indexOf(c, end + 2);
                }
                end = end < 0 ? n : end + 1;
                out.append(sql, i, end);
                i = end;
            } else if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
                int end = sql.indexOf('\n', i);
                end = end < 0 ? n : end;
                out.append(sql, i, end);
                i = end;
            } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
                int end = sql.indexOf("*/", i + 2);
                end = end < 0 ? n : end + 2;
                out.append(sql, i, end);
                i = end;
            } else if (c == '$' && i + 1 < n && Character.isDigit(sql.charAt(i + 1))) {
                int end = i + 1;
                while (end < n && Character.isDigit(sql.charAt(end))) {
                    end++;
                }
                order.add(Integer.parseInt(sql.substring(i + 1, end)));
                out.append('?');
                i = end;
            } else if (c == '$') {
                int tagEnd = sql.indexOf('$', i + 1);
                String tag = tagEnd < 0 ? null : sql.substring(i, tagEnd + 1);
                if (tag != null && tag.matches("\\$[A-Za-z_]*\\$")) { // a dollar-quoted string
                    int end = sql.indexOf(tag, tagEnd + 1);
                    end = end < 0 ? n : end + tag.length();
                    out.append(sql, i, end);
                    i = end;
                } else {
                    out.append(c);
                    i++;
                }
            } else if (c == '?') {
                out.append("??"); // pgjdbc's escape for an operator such as jsonb's ?
                i++;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }
}
