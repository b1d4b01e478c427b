package dbtool.core.report;

import dbtool.spi.Severity;

/**
 * How text output looks: ANSI colours only when writing to a terminal and allowed
 * (no {@code NO_COLOR}, no {@code --no-color}); Unicode tree lines only when the output encoding
 * can show them.
 */
public record Style(boolean color, boolean unicode) {

    public static final Style PLAIN = new Style(false, false);

    private static final String RESET = "\u001b[0m";

    /** The severity's name padded to one column width, coloured. */
    public String severity(Severity severity) {
        return colored(severity, String.format("%-8s", severity.name()));
    }

    /**
     * The severity's name without padding, coloured. (Trimming {@link #severity} would cut the
     * escape character, which {@link String#trim()} counts as white space.)
     */
    public String severityName(Severity severity) {
        return colored(severity, severity.name());
    }

    private String colored(Severity severity, String label) {
        if (!color) {
            return label;
        }
        String code = switch (severity) {
            case CRITICAL -> "\u001b[1;31m";
            case UNKNOWN -> "\u001b[1;35m";
            case WARNING -> "\u001b[1;33m";
            case INFO -> "\u001b[36m";
            case OK -> "\u001b[32m";
        };
        return code + label + RESET;
    }

    public String bold(String text) {
        return color ? "\u001b[1m" + text + RESET : text;
    }

    public String dim(String text) {
        return color ? "\u001b[2m" + text + RESET : text;
    }

    /** Prefix of a tree node that has siblings below it. */
    public String branch() {
        return unicode ? "├─ " : "|- ";
    }

    /** Prefix of the last child of a tree node. */
    public String lastBranch() {
        return unicode ? "└─ " : "`- ";
    }

    /** Continuation of a branch that has more siblings below. */
    public String pipe() {
        return unicode ? "│  " : "|  ";
    }
}
