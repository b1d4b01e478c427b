package dbtool.core.report;

import dbtool.core.SafeText;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Markdown, lightly rendered for a terminal: headings in bold (the page title underlined), code
 * blocks indented by four spaces and left exactly as written (a statement copies cleanly), inline
 * code and emphasis markers dropped, links as their text (and the address when it leads off the
 * site), tables as aligned columns, HTML comments gone. The text is escaped with {@link SafeText}
 * before dbtool adds its own colour codes.
 */
public final class MarkdownText {

    private static final Pattern HEADING = Pattern.compile("^(#{1,6}) +(.+?) *#* *$");
    private static final Pattern LINK = Pattern.compile("\\[([^\\]]+)\\]\\(([^)\\s]+)\\)");
    private static final Pattern BOLD = Pattern.compile("\\*\\*(.+?)\\*\\*");
    private static final Pattern CODE = Pattern.compile("`([^`]+)`");
    private static final Pattern COMMENT = Pattern.compile("<!--.*?-->", Pattern.DOTALL);
    private static final Pattern TABLE_RULE = Pattern.compile("^\\|?[ :|-]+\\|?$");
    private static final int TABLE_WIDTH = 110;

    private MarkdownText() {
    }

    /** The page as terminal text; colours only when {@code style} has them. */
    public static String render(String markdown, Style style) {
        String text = COMMENT.matcher(SafeText.escape(markdown.replace("\r\n", "\n"))).replaceAll("");
        StringBuilder out = new StringBuilder();
        List<String> table = new ArrayList<>();
        boolean fenced = false;
        int fenceIndent = 0;
        for (String line : text.split("\n", -1)) {
            if (line.strip().startsWith("```")) {
                fenced = !fenced;
                fenceIndent = line.length() - line.stripLeading().length();
                continue;
            }
            if (fenced) {
                // A block inside a list item is indented with it; the statement is shown as written.
                int strip = Math.min(fenceIndent, line.length() - line.stripLeading().length());
                out.append("    ").append(line.substring(strip)).append('\n');
                continue;
            }
            if (line.startsWith("|")) {
                table.add(line);
                continue;
            }
            if (!table.isEmpty()) {
                out.append(table(table, style));
                table.clear();
            }
            Matcher heading = HEADING.matcher(line);
            if (heading.matches()) {
                String title = inline(heading.group(2), Style.PLAIN);
                out.append(style.bold(title)).append('\n');
                if (heading.group(1).length() == 1) {
                    out.append("=".repeat(Math.min(title.length(), TABLE_WIDTH))).append('\n');
                }
                continue;
            }
            out.append(inline(line, style)).append('\n');
        }
        if (!table.isEmpty()) {
            out.append(table(table, style));
        }
        return out.toString().replaceAll("\n{3,}", "\n\n").strip() + "\n";
    }

    private static String inline(String line, Style style) {
        Matcher link = LINK.matcher(line);
        StringBuilder linked = new StringBuilder();
        while (link.find()) {
            String target = link.group(2);
            String shown = target.startsWith("http://") || target.startsWith("https://")
                    ? link.group(1) + " <" + target + ">" : link.group(1);
            link.appendReplacement(linked, Matcher.quoteReplacement(shown));
        }
        link.appendTail(linked);
        Matcher bold = BOLD.matcher(linked.toString());
        StringBuilder emphasised = new StringBuilder();
        while (bold.find()) {
            bold.appendReplacement(emphasised, Matcher.quoteReplacement(style.bold(bold.group(1))));
        }
        bold.appendTail(emphasised);
        return CODE.matcher(emphasised.toString()).replaceAll(m -> Matcher.quoteReplacement(m.group(1)));
    }

    private static String table(List<String> lines, Style style) {
        List<List<String>> rows = new ArrayList<>();
        for (String line : lines) {
            if (TABLE_RULE.matcher(line.strip()).matches()) {
                continue;
            }
            String inner = line.strip();
            inner = inner.substring(1, inner.endsWith("|") && inner.length() > 1 ? inner.length() - 1 : inner.length());
            rows.add(Arrays.stream(inner.split("(?<!\\\\)\\|", -1)).map(cell -> inline(cell.strip().replace("\\|", "|"), Style.PLAIN)).toList());
        }
        if (rows.isEmpty()) {
            return "";
        }
        int columns = rows.getFirst().size();
        List<List<String>> body = rows.subList(1, rows.size()).stream()
                .map(row -> pad(row, columns)).toList();
        String aligned = TextTable.format(rows.getFirst(), body, "  ", style);
        if (aligned.lines().allMatch(l -> l.length() <= TABLE_WIDTH + 20)) {
            return aligned;
        }
        StringBuilder listed = new StringBuilder();
        for (List<String> row : body) {
            listed.append("  - ").append(String.join(" | ", row.stream().filter(c -> !c.isEmpty()).toList())).append('\n');
        }
        return listed.toString();
    }

    private static List<String> pad(List<String> row, int columns) {
        List<String> padded = new ArrayList<>(row.subList(0, Math.min(columns, row.size())));
        while (padded.size() < columns) {
            padded.add("");
        }
        return padded;
    }
}
