package dbtool.change.report;

import dbtool.change.postgres.Projection;
import dbtool.core.SafeText;
import java.util.Locale;

/**
 * The dry run as text for a terminal and as Markdown for a pull request comment (the GitHub
 * Action posts it). Everything the server or a migration file wrote is escaped: control characters
 * for the terminal, Markdown's own characters and HTML for the comment.
 */
public final class DryRunRenderer {

    private DryRunRenderer() {
    }

    public static String text(DryRunReport report) {
        StringBuilder out = new StringBuilder();
        out.append("dry run of ").append(SafeText.oneLine(report.target())).append(" (PostgreSQL ").append(SafeText.oneLine(report.serverVersion()))
                .append(") on ").append(SafeText.oneLine(report.cloneDescription())).append(": ").append(report.status()).append('\n');
        out.append(String.format(Locale.ROOT, "traffic sampled over %.1f s; the clone rewrote %s/s%n", report.sampledSeconds(),
                Projection.bytes((long) report.rewriteBytesPerSecond())));
        if (report.migrations().isEmpty()) {
            out.append("nothing pending\n");
        }
        for (DryRunReport.MigrationResult m : report.migrations()) {
            out.append('\n').append('V').append(m.version()).append("  ").append(SafeText.oneLine(m.script())).append('\n');
            for (DryRunReport.StatementResult s : m.statements()) {
                out.append("  line ").append(s.line()).append(": ").append(SafeText.oneLine(clip(s.sql(), 100))).append('\n');
                out.append("    [").append(s.risk()).append("] ").append(SafeText.oneLine(s.projection())).append('\n');
                for (String safer : s.saferForms()) {
                    out.append("    safer: ").append(SafeText.oneLine(safer)).append('\n');
                }
            }
        }
        for (String warning : report.warnings()) {
            out.append("warning: ").append(SafeText.oneLine(warning)).append('\n');
        }
        return out.toString();
    }

    public static String markdown(DryRunReport report) {
        StringBuilder out = new StringBuilder();
        String icon = switch (report.status()) {
            case "OK" -> ":white_check_mark:";
            case "RISKY" -> ":warning:";
            default -> ":x:";
        };
        out.append("### ").append(icon).append(" dbtool change dry-run: ").append(md(report.target())).append(" — ").append(report.status()).append("\n\n");
        out.append("PostgreSQL ").append(md(report.serverVersion())).append(", measured on ").append(md(report.cloneDescription()))
                .append(String.format(Locale.ROOT, "; traffic sampled over %.1f s.%n%n", report.sampledSeconds()));
        if (report.migrations().isEmpty()) {
            out.append("Nothing pending.\n");
        } else {
            out.append("| migration | line | statement | risk | on the target |\n|---|---:|---|---|---|\n");
            for (DryRunReport.MigrationResult m : report.migrations()) {
                for (DryRunReport.StatementResult s : m.statements()) {
                    out.append("| ").append(md(m.script())).append(" | ").append(s.line()).append(" | `").append(code(clip(s.sql(), 80)))
                            .append("` | ").append(s.risk().equals("high") ? "**high**" : s.risk()).append(" | ").append(md(s.projection())).append(" |\n");
                }
            }
            boolean header = false;
            for (DryRunReport.MigrationResult m : report.migrations()) {
                for (DryRunReport.StatementResult s : m.statements()) {
                    if (s.saferForms().isEmpty()) {
                        continue;
                    }
                    if (!header) {
                        out.append("\n#### Safer forms\n\n");
                        header = true;
                    }
                    out.append("- ").append(md(m.script())).append(" line ").append(s.line()).append(":\n");
                    for (String safer : s.saferForms()) {
                        out.append("  - ").append(md(safer)).append('\n');
                    }
                }
            }
        }
        if (!report.warnings().isEmpty()) {
            out.append("\n#### Warnings\n\n");
            report.warnings().forEach(w -> out.append("- ").append(md(w)).append('\n'));
        }
        return out.toString();
    }

    /** Markdown text: HTML and the characters that start Markdown syntax are escaped; one line. */
    static String md(String text) {
        String line = SafeText.oneLine(text == null ? "" : text);
        StringBuilder out = new StringBuilder();
        for (char c : line.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '|', '\\', '`', '*', '_', '[', ']', '#', '~', '!' -> out.append('\\').append(c);
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /** Inside a code span: a backtick cannot be escaped, so it becomes a quote; a pipe would end the table cell. */
    static String code(String text) {
        return SafeText.oneLine(text).replace('`', '\'').replace("|", "\\|");
    }

    private static String clip(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 3) + "...";
    }
}
