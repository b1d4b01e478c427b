package dbtool.logs.read;

import java.util.Locale;

/** The log layouts dbtool reads; {@link #detect} picks one from the first lines. */
public enum LogFormat {
    /** PostgreSQL's stderr log with any log_line_prefix. */
    POSTGRES("postgres", "postgresql"),
    /** PostgreSQL csvlog. */
    POSTGRES_CSV("postgres-csv", "postgresql"),
    /** PostgreSQL 15+ jsonlog. */
    POSTGRES_JSON("postgres-json", "postgresql"),
    /** SQL Server ERRORLOG. */
    SQLSERVER("sqlserver", "sqlserver"),
    /** MongoDB 4.4+ structured JSON log. */
    MONGODB("mongodb", "mongodb"),
    /** Snowflake's failed logins and failed queries as JSON events, as its plugin writes them ({@code "source":"snowflake"}). */
    SNOWFLAKE("snowflake", "snowflake"),
    /** Each line a bare message, no header: for any other log. */
    MESSAGE("message", "unknown");

    private final String option;
    private final String engine;

    LogFormat(String option, String engine) {
        this.option = option;
        this.engine = engine;
    }

    /** The name on the command line ({@code --layout}). */
    public String option() {
        return option;
    }

    /** The engine id of the report's target. */
    public String engine() {
        return engine;
    }

    public static LogFormat fromOption(String value) {
        for (LogFormat format : values()) {
            if (format.option.equals(value.toLowerCase(Locale.ROOT))) {
                return format;
            }
        }
        return null;
    }

    /** The layout of a log from its first non-empty line; PostgreSQL stderr when nothing else fits. */
    public static LogFormat detect(String firstLine) {
        String line = firstLine.strip();
        if (line.startsWith("{")) {
            if (line.contains("\"t\":{\"$date\"") || line.contains("\"t\": {\"$date\"")) {
                return MONGODB;
            }
            if (line.contains("\"error_severity\"")) {
                return POSTGRES_JSON;
            }
            if (line.startsWith("{\"source\":\"snowflake\"")) {
                return SNOWFLAKE;
            }
            return MESSAGE;
        }
        if (line.matches("^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d\\d \\S+\\s{2,}.*")) {
            return SQLSERVER; // ERRORLOG: centiseconds, then the source (spid52, Server, Logon) padded with spaces
        }
        if (line.matches("^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d(\\.\\d{3})? [A-Z+0-9:-]*,.*")) {
            return POSTGRES_CSV;
        }
        return POSTGRES;
    }
}
