package dbtool.plugin.postgres.config;

import dbtool.spi.ConfigurationException;
import dbtool.spi.ServerConfiguration;
import dbtool.spi.SessionSettings;
import dbtool.spi.UsageException;
import dbtool.toolkit.ReadBack;
import dbtool.toolkit.jdbc.JdbcSession;
import java.sql.Array;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code dbtool config} on PostgreSQL: parameters from pg_settings, the values dbtool writes from
 * postgresql.auto.conf (pg_file_settings), changes through {@code ALTER SYSTEM} and
 * {@code pg_reload_conf()}, verified by reading pg_settings again. Checked against PostgreSQL 12 to 17,
 * whose pg_settings and pg_file_settings have these columns.
 *
 * <p>The session sets no timeouts at connect time: a setting given there would be this session's own
 * ("client") value and hide the server's one in pg_settings, the very value to show and verify. Reads
 * have a client-side timeout; the write sets statement_timeout and lock_timeout around itself.
 */
public final class PostgresConfiguration implements ServerConfiguration.Session {

    // boot_val is the value after a RESET when no file sets the parameter.
    private static final String SETTINGS = """
            SELECT name, current_setting(name) AS shown, setting, unit, vartype, source, context, pending_restart,
                   min_val, max_val, enumvals, short_desc, boot_val
            FROM pg_settings ORDER BY name""";
    // Superuser only by default; ALTER SYSTEM needs superuser (or, from 15, GRANT ALTER SYSTEM) anyway.
    private static final String FILE_SETTINGS = """
            SELECT name, setting, sourcefile LIKE '%/postgresql.auto.conf' AS auto
            FROM pg_file_settings WHERE name IS NOT NULL ORDER BY seqno""";
    private static final Set<String> RESTART = Set.of("postmaster");

    private final JdbcSession session;
    private final SessionSettings settings;
    private final boolean write;

    /** Works on {@code session}'s connection (writable only when {@code write}). */
    public PostgresConfiguration(JdbcSession session, SessionSettings settings, boolean write) {
        this.session = session;
        this.settings = settings;
        this.write = write;
    }

    @Override
    public List<ServerConfiguration.Parameter> parameters(Collection<String> names) throws SQLException {
        Set<String> wanted = names.stream().map(n -> n.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
        Files files = files();
        List<ServerConfiguration.Parameter> out = new ArrayList<>();
        for (Row row : rows()) {
            if (wanted.isEmpty() || wanted.contains(row.name().toLowerCase(Locale.ROOT))) {
                out.add(row.parameter(files.auto().get(row.name())));
            }
        }
        return out;
    }

    @Override
    public ServerConfiguration.Change plan(String name, String value, boolean allowRestart) throws SQLException {
        Row row = row(name);
        if (row.context().equals("internal")) {
            throw new UsageException(row.name() + " cannot be changed: it is fixed when the server is built or initialized (context internal)");
        }
        // The value first: a wrong one is worth knowing before the question of a restart.
        String written = value == null ? null : PgValue.parse(row.declared(), value).written();
        boolean restart = RESTART.contains(row.context());
        if (restart && !allowRestart) {
            throw new UsageException(row.name() + " takes effect only after a restart (context postmaster); add --allow-restart to write it "
                    + "now and restart the server later");
        }
        Files files = files();
        if (!files.readable()) {
            throw new ConfigurationException(row.name() + ": this role cannot read pg_file_settings (superuser only by default), so the value "
                    + "in postgresql.auto.conf could not be kept for rollback; nothing written");
        }
        ServerConfiguration.Parameter before = row.parameter(files.auto().get(row.name()));
        String statement = (written == null ? "ALTER SYSTEM RESET " + row.name() : "ALTER SYSTEM SET " + row.name() + " = " + literal(written))
                + "; SELECT pg_reload_conf()";
        return new ServerConfiguration.Change(before, written, restart, statement);
    }

    @Override
    public ServerConfiguration.Outcome apply(ServerConfiguration.Change change, Duration verifyWithin) throws SQLException {
        if (!write) {
            throw new IllegalStateException("a read-only configuration session cannot apply a change");
        }
        Row row = row(change.before().name());
        String expected = change.value() != null ? PgValue.parse(row.declared(), change.value()).base() : afterReset(row);
        Connection c = session.connection();
        try (Statement s = c.createStatement()) {
            s.setQueryTimeout(timeoutSeconds());
            s.execute("SET statement_timeout = " + settings.statementTimeout().toMillis());
            s.execute("SET lock_timeout = " + settings.lockTimeout().toMillis());
            try {
                s.execute(change.value() == null ? "ALTER SYSTEM RESET " + row.name() : "ALTER SYSTEM SET " + row.name() + " = " + literal(change.value()));
                s.execute("SELECT pg_reload_conf()");
            } finally {
                s.execute("RESET statement_timeout");
                s.execute("RESET lock_timeout");
            }
        }
        // The server re-reads its files when pg_reload_conf()'s signal arrives; this backend between two statements.
        Row now = ReadBack.until(verifyWithin, () -> row(row.name()), r -> {
            boolean running = PgValue.same(r.type(), r.setting(), expected);
            return RESTART.contains(r.context()) ? r.pendingRestart() != running : running;
        });
        return new ServerConfiguration.Outcome(now.parameter(files().auto().get(now.name())), PgValue.same(now.type(), now.setting(), expected));
    }

    @Override
    public void close() {
        session.close();
    }

    /** The running value after ALTER SYSTEM RESET: what another configuration file sets, else the built-in default. */
    private String afterReset(Row row) throws SQLException {
        String fromFile = files().other().get(row.name());
        if (fromFile == null) {
            return row.bootValue();
        }
        try {
            return PgValue.parse(row.declared(), fromFile).base();
        } catch (UsageException e) {
            return fromFile;
        }
    }

    private Row row(String name) throws SQLException {
        for (Row row : rows()) {
            if (row.name().equalsIgnoreCase(name.strip())) {
                return row;
            }
        }
        throw new UsageException("unknown parameter '" + name.replaceAll("\\p{Cntrl}", "?") + "'");
    }

    private List<Row> rows() throws SQLException {
        List<Row> rows = new ArrayList<>();
        try (Statement s = session.connection().createStatement()) {
            s.setQueryTimeout(timeoutSeconds());
            try (ResultSet rs = s.executeQuery(SETTINGS)) {
                while (rs.next()) {
                    Array values = rs.getArray("enumvals");
                    List<String> allowed = values == null ? List.of() : Arrays.stream((Object[]) values.getArray()).map(String::valueOf).toList();
                    rows.add(new Row(rs.getString("name"), rs.getString("shown"), rs.getString("setting"), rs.getString("unit"),
                            rs.getString("vartype"), rs.getString("source"), rs.getString("context"), rs.getBoolean("pending_restart"),
                            rs.getString("min_val"), rs.getString("max_val"), allowed, rs.getString("short_desc"), rs.getString("boot_val")));
                }
            }
        }
        return rows;
    }

    /** The last value each configuration file gives: postgresql.auto.conf's apart from the others'. */
    private record Files(boolean readable, Map<String, String> auto, Map<String, String> other) {
    }

    private Files files() throws SQLException {
        Map<String, String> auto = new HashMap<>();
        Map<String, String> other = new HashMap<>();
        try (Statement s = session.connection().createStatement()) {
            s.setQueryTimeout(timeoutSeconds());
            try (ResultSet rs = s.executeQuery(FILE_SETTINGS)) {
                while (rs.next()) {
                    (rs.getBoolean("auto") ? auto : other).put(rs.getString("name"), rs.getString("setting"));
                }
            }
        } catch (SQLException e) {
            if ("42501".equals(e.getSQLState())) {
                return new Files(false, Map.of(), Map.of());
            }
            throw e;
        }
        return new Files(true, auto, other);
    }

    private int timeoutSeconds() {
        return (int) Math.max(1, settings.statementTimeout().toSeconds());
    }

    /** A string literal: the value has been checked against the parameter, quotes are doubled all the same. */
    private static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }

    private record Row(String name, String shown, String setting, String unit, String type, String source, String context,
                       boolean pendingRestart, String min, String max, List<String> allowed, String description, String bootValue) {

        PgValue.Declared declared() {
            return new PgValue.Declared(name, type, unit, min, max, allowed);
        }

        ServerConfiguration.Parameter parameter(String configured) {
            return new ServerConfiguration.Parameter(name, shown, unit, type, source, context, pendingRestart, min, max, allowed, configured,
                    description);
        }
    }
}
