package dbtool.plugin.postgres;

import dbtool.spi.CheckContext;
import dbtool.spi.LogSource;
import dbtool.toolkit.jdbc.JdbcSession;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads the tail of PostgreSQL's own log over SQL: {@code pg_ls_logdir()} lists the collector's files,
 * {@code pg_read_file()} reads the newest ones from their end, at most the byte bound. The files read
 * are those of the first destination in {@code log_destination} (stderr, csvlog, jsonlog), and
 * {@code log_line_prefix} comes with them so that the stderr reader finds user, database and host.
 */
final class PostgresServerLog {

    // pg_ls_logdir() is granted to pg_monitor (PG 10+), which also reads every setting (pg_read_all_settings).
    // pg_read_file() runs for superusers only unless EXECUTE is granted; pg_read_server_files does NOT grant it
    // (it only lifts the path limit), and with EXECUTE alone the files in log_directory are readable.
    private static final String PRIVILEGES = """
            SELECT has_function_privilege('pg_ls_logdir()', 'EXECUTE') AS may_list,
                   has_function_privilege('pg_read_file(text, bigint, bigint, boolean)', 'EXECUTE') AS may_read,
                   current_user AS role""";

    private static final String SETTINGS = """
            SELECT current_setting('logging_collector') AS collector,
                   current_setting('log_destination') AS destination,
                   current_setting('log_directory') AS directory,
                   current_setting('log_line_prefix') AS prefix""";

    private static final String FILES = "SELECT name, size FROM pg_ls_logdir() ORDER BY modification DESC, name DESC";

    private static final String READ = "SELECT pg_read_file(?, ?, ?, true) AS text";

    private PostgresServerLog() {
    }

    static LogSource.ServerLog read(JdbcSession session, long maxBytes, CheckContext context) throws Exception {
        Map<String, Object> privileges = session.queryOne(PRIVILEGES, context);
        String role = String.valueOf(privileges.get("role"));
        if (!Boolean.TRUE.equals(privileges.get("may_list"))) {
            throw new LogSource.Unreadable("the role " + role + " may not list the log directory: GRANT pg_monitor TO " + role
                    + " (pg_ls_logdir)");
        }
        if (!Boolean.TRUE.equals(privileges.get("may_read"))) {
            throw new LogSource.Unreadable("the role " + role + " may not read the log files: GRANT EXECUTE ON FUNCTION "
                    + "pg_read_file(text, bigint, bigint, boolean) TO " + role + " (pg_read_server_files alone does not grant it)");
        }
        Map<String, Object> settings = session.queryOne(SETTINGS, context);
        if (!"on".equals(settings.get("collector"))) {
            throw new LogSource.Unreadable("logging_collector is off: the server's log is not in a file PostgreSQL can read"
                    + " (read the file the server's stderr goes to instead)");
        }
        Destination destination = Destination.first(String.valueOf(settings.get("destination")));
        List<Map<String, Object>> files = new ArrayList<>();
        for (Map<String, Object> file : session.query(FILES, context)) {
            if (destination.matches(String.valueOf(file.get("name")))) {
                files.add(file);
            }
        }
        if (files.isEmpty()) {
            throw new LogSource.Unreadable("no " + destination.suffixName() + " files in log_directory (log_destination = '"
                    + settings.get("destination") + "')");
        }
        String directory = String.valueOf(settings.get("directory"));
        // Newest first until the budget is spent, then put back in time order.
        List<String> parts = new ArrayList<>();
        List<String> names = new ArrayList<>();
        long budget = maxBytes;
        for (Map<String, Object> file : files) {
            if (budget <= 0) {
                break;
            }
            String name = String.valueOf(file.get("name"));
            long size = ((Number) file.get("size")).longValue();
            long offset = Math.max(0, size - budget);
            Object text = session.queryOne(READ, context, directory + "/" + name, offset, size - offset).get("text");
            String body = text == null ? "" : text.toString();
            if (offset > 0) {
                int newline = body.indexOf('\n');
                body = newline < 0 ? "" : body.substring(newline + 1); // the first line was cut by the bound
            }
            parts.addFirst(body);
            names.addFirst(name);
            budget -= size - offset;
        }
        String prefix = destination == Destination.STDERR ? String.valueOf(settings.get("prefix")) : null;
        return new LogSource.ServerLog(directory + "/" + String.join(", ", names), destination.layout, prefix, String.join("", parts));
    }

    /** log_destination's file kinds, by the suffix the collector gives their files. */
    private enum Destination {
        STDERR("postgres", null), CSVLOG("postgres-csv", ".csv"), JSONLOG("postgres-json", ".json");

        final String layout;
        final String suffix;

        Destination(String layout, String suffix) {
            this.layout = layout;
            this.suffix = suffix;
        }

        static Destination first(String logDestination) {
            for (String value : logDestination.toLowerCase(Locale.ROOT).split("\\s*,\\s*")) {
                for (Destination d : values()) {
                    if (d.name().toLowerCase(Locale.ROOT).equals(value.strip())) {
                        return d;
                    }
                }
            }
            return STDERR;
        }

        boolean matches(String file) {
            return suffix == null ? !file.endsWith(".csv") && !file.endsWith(".json") : file.endsWith(suffix);
        }

        String suffixName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
