package dbtool.logs.analysis;

import java.util.Locale;

/** The engines' severities on one scale, to rank patterns across engines. */
public enum Level {
    DEBUG, INFO, WARNING, ERROR, FATAL;

    /** PostgreSQL words, MongoDB letters (F E W I D1..D5), SQL Server "Severity N" (11-16 user errors, 17+ resource or fatal). */
    public static Level of(String severity) {
        if (severity == null) {
            return INFO;
        }
        String s = severity.toUpperCase(Locale.ROOT);
        if (s.startsWith("SEVERITY ")) {
            int n = parse(s.substring(9));
            return n >= 17 ? FATAL : n >= 11 ? ERROR : INFO;
        }
        return switch (s) {
            case "PANIC", "FATAL", "F" -> FATAL;
            case "ERROR", "E" -> ERROR;
            case "WARNING", "W" -> WARNING;
            case "DEBUG", "D", "D1", "D2", "D3", "D4", "D5" -> DEBUG;
            default -> INFO;
        };
    }

    private static int parse(String s) {
        try {
            return Integer.parseInt(s.strip());
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
