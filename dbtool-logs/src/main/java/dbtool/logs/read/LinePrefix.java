package dbtool.logs.read;

import dbtool.core.DbtoolException;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * PostgreSQL's {@code log_line_prefix} turned into a pattern that reads the fields back: timestamp
 * (%m %t %n), pid (%p), user (%u), database (%d), client host (%h %r), application (%a), SQLSTATE
 * (%e), and the rest matched but not kept. An escape PostgreSQL does not know is a usage error.
 */
public final class LinePrefix {

    /** PostgreSQL's default since version 10. */
    public static final String DEFAULT = "%m [%p] ";

    private final String text;
    private final Pattern pattern;
    private final Map<String, String> groups; // group name -> field name

    private final boolean whole;

    private LinePrefix(String text, Pattern pattern, Map<String, String> groups, boolean whole) {
        this.text = text;
        this.whole = whole;
        this.pattern = pattern;
        this.groups = groups;
    }

    public String text() {
        return text;
    }

    /** The prefix the user named: it must match a line's whole prefix. */
    public static LinePrefix parse(String prefix) {
        return parse(prefix, true);
    }

    /** PostgreSQL's default, tried on the start of each line's prefix whatever follows it. */
    public static LinePrefix defaultPrefix() {
        return parse(DEFAULT, false);
    }

    private static LinePrefix parse(String prefix, boolean whole) {
        StringBuilder regex = new StringBuilder("^");
        Map<String, String> groups = new HashMap<>();
        String trimmed = prefix.stripTrailing();
        int optionalGroups = 0;
        for (int i = 0; i < trimmed.length(); i++) {
            char c = trimmed.charAt(i);
            if (c != '%') {
                regex.append(Pattern.quote(String.valueOf(c)));
                continue;
            }
            int j = i + 1;
            while (j < trimmed.length() && (trimmed.charAt(j) == '-' || Character.isDigit(trimmed.charAt(j)))) {
                j++; // padding such as %-10u
            }
            if (j >= trimmed.length()) {
                throw DbtoolException.usage("--prefix '" + prefix + "': a '%' at the end escapes nothing");
            }
            char escape = trimmed.charAt(j);
            String part = switch (escape) {
                case 'm' -> group(groups, "timestamp", "\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3}(?: [A-Za-z0-9+:_/-]+)?");
                case 't' -> group(groups, "timestamp", "\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d(?: [A-Za-z0-9+:_/-]+)?");
                case 'n' -> group(groups, "timestamp", "\\d+\\.\\d+");
                case 's' -> "\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d(?: [A-Za-z0-9+:_/-]+)?";
                case 'p' -> group(groups, "pid", "\\d*");
                case 'P', 'l', 'Q', 'x' -> "-?\\d*";
                case 'u' -> group(groups, "user", ".*?");
                case 'd' -> group(groups, "database", ".*?");
                case 'a' -> group(groups, "application", ".*?");
                case 'h' -> group(groups, "host", ".*?");
                case 'r' -> group(groups, "host", ".*?") + "(?:\\(\\d+\\))?";
                case 'e' -> group(groups, "code", "[0-9A-Z]{5}");
                case 'b', 'i' -> ".*?";
                case 'c' -> "[0-9a-f]+\\.[0-9a-f]+";
                case 'v' -> "\\S*?";
                case 'q' -> {
                    optionalGroups++;
                    yield "(?:"; // background processes stop the prefix here
                }
                case '%' -> "%";
                default -> throw DbtoolException.usage("--prefix '" + prefix + "': unknown escape '%" + escape
                        + "' (PostgreSQL's log_line_prefix knows %a %u %d %r %h %b %p %P %t %m %n %i %e %c %l %s %v %x %q %Q %%)");
            };
            boolean padded = j > i + 1;
            regex.append(padded ? " *" + part + " *" : part); // %-10u and %10u pad with spaces
            i = j;
        }
        regex.append(")?".repeat(optionalGroups));
        if (whole) {
            regex.append("\\s*$");
        }
        return new LinePrefix(prefix, Pattern.compile(regex.toString()), groups, whole);
    }

    private static String group(Map<String, String> groups, String field, String body) {
        String name = "g" + groups.size();
        groups.put(name, field);
        return "(?<" + name + ">" + body + ")";
    }

    /** Whether the prefix starts with a timestamp escape (%m or %t), which {@link #timestamp} reads without a pattern. */
    public boolean startsWithTimestamp() {
        return text.startsWith("%m") || text.startsWith("%t");
    }

    /**
     * The leading timestamp of a prefix that starts with %m or %t: date, time and zone, the first
     * three words. Cheap enough for every line, where {@link #fields} runs the whole pattern.
     */
    public String timestamp(String prefixText) {
        return timestamp(prefixText, prefixText.length());
    }

    /** {@link #timestamp(String)} of the prefix {@code line[0, end)}, without cutting it out first. */
    public String timestamp(String line, int end) {
        if (end == 0 || !Character.isDigit(line.charAt(0))) {
            return null;
        }
        int first = line.indexOf(' ');
        int second = first < 0 || first >= end ? -1 : line.indexOf(' ', first + 1);
        if (second < 0 || second >= end) {
            return null;
        }
        int third = line.indexOf(' ', second + 1);
        if (third < 0 || third > end) {
            third = end;
        }
        return third > second + 1 && Character.isLetter(line.charAt(second + 1)) ? line.substring(0, third) : line.substring(0, second);
    }

    /** The fields of one line's prefix, or an empty map when the prefix does not fit. */
    public Map<String, String> fields(String prefixText) {
        Matcher matcher = pattern.matcher(prefixText);
        if (whole ? !matcher.matches() : !matcher.lookingAt()) {
            return Map.of();
        }
        Map<String, String> fields = new HashMap<>(8);
        for (Map.Entry<String, String> group : groups.entrySet()) {
            String value = matcher.group(group.getKey());
            if (value != null && !value.isEmpty() && !value.equals("[unknown]")) {
                fields.putIfAbsent(group.getValue(), value);
            }
        }
        return fields;
    }
}
