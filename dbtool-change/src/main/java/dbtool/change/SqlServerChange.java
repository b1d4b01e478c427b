package dbtool.change;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dbtool.change.migrate.Flyway;
import dbtool.change.migrate.FlywayLoader;
import dbtool.change.migrate.MigrationFolder;
import dbtool.change.sqlserver.SqlServerConnections;
import dbtool.change.sqlserver.TsqlBatches;
import dbtool.core.DbtoolException;
import dbtool.core.ExitCodes;
import dbtool.core.IoErrors;
import dbtool.core.SafeText;
import dbtool.core.cli.CommandContext;
import dbtool.core.run.ResolvedTarget;
import dbtool.serve.store.StateStore;
import dbtool.spi.Credentials;
import java.io.IOException;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/**
 * {@code dbtool change plan|apply|rollback|history} on SQL Server: Flyway 12.4 with flyway-sqlserver from
 * the bundle's {@code change/sqlserver/} (a loader of its own, see {@link FlywayLoader#sqlServer}), jTDS
 * from the SQL Server plugin's layer, every session with {@code SET LOCK_TIMEOUT}. One change at a time
 * per database: dbtool's own {@code sp_getapplock} (refused after the lock timeout when taken), and Flyway's, which it
 * takes itself. No restore point: SQL Server's way back is a backup (BACKUP DATABASE needs a path on
 * the server and restores the whole database), which dbtool does not take, so apply insists on
 * {@code --no-restore-point} and rollback runs only the undo script. No dry run on a clone either.
 */
final class SqlServerChange {

    /** dbtool's application lock: one change at a time per database, refused when another holds it past the lock timeout. */
    static final String CHANGE_LOCK = "dbtool-change";
    /** SQL Server's error numbers for a lock timeout (SET LOCK_TIMEOUT) and a deadlock victim. */
    static final int LOCK_TIMEOUT = 1222;
    static final int DEADLOCK = 1205;

    private final ResolvedTarget resolved;
    private final SqlServerConnections connections;
    private final CommandContext context;

    private SqlServerChange(ResolvedTarget resolved, SqlServerConnections connections, CommandContext context) {
        this.resolved = resolved;
        this.connections = connections;
        this.context = context;
    }

    /** What the command line asked of a SQL Server target. */
    record Request(String action, MigrationFolder folder, String format, boolean yes, boolean undoOnly, boolean noRestorePoint,
                   Duration lockTimeout, int retries) {
    }

    static int run(ResolvedTarget resolved, Request request, CommandContext context) throws SQLException {
        if (request.action().equals("dry-run")) {
            throw DbtoolException.usage("change dry-run: " + resolved.target().name() + " is SQL Server; the dry run on a clone is PostgreSQL-only"
                    + " so far ('change plan' lists what is pending)");
        }
        if (request.action().equals("apply") && !request.noRestorePoint()) {
            throw DbtoolException.usage("change apply: " + resolved.target().name() + " is SQL Server, where dbtool takes no restore point;"
                    + " take a backup first (BACKUP DATABASE), then add --no-restore-point");
        }
        if (request.action().equals("rollback") && request.folder() == null) {
            throw DbtoolException.usage("change rollback: " + resolved.target().name() + " is SQL Server, where only an undo script rolls back;"
                    + " give --migrations DIR with U<version>__*.sql");
        }
        Credentials credentials = ChangeTarget.credentials(resolved, context);
        try {
            SqlServerChange change = new SqlServerChange(resolved, SqlServerConnections.of(context.plugins(), resolved.target(), credentials,
                    "dbtool-change"), context);
            return switch (request.action()) {
                case "plan" -> change.plan(request);
                case "apply" -> change.apply(request);
                case "rollback" -> change.rollback(request);
                default -> change.history(request);
            };
        } finally {
            credentials.release();
        }
    }

    private String name() {
        return resolved.target().name();
    }

    private Flyway flyway(MigrationFolder folder, Duration lockTimeout, String actor) {
        return Flyway.configure(FlywayLoader.sqlServer(context.environment()), connections.dataSource(lockTimeout), folder.folder(), actor, null);
    }

    private int plan(Request request) {
        List<Flyway.Info> pending = ChangeTarget.pending(ChangeTarget.checkedInfo(flyway(request.folder(), request.lockTimeout(), null),
                request.folder()));
        JsonArray json = new JsonArray();
        StringBuilder text = new StringBuilder(pending.isEmpty() ? "nothing pending on " + SafeText.oneLine(name()) + "\n"
                : pending.size() + " pending on " + SafeText.oneLine(name()) + " (SQL Server: no lock analysis; Flyway applies them)\n");
        for (Flyway.Info info : pending) {
            text.append("  V").append(SafeText.oneLine(info.version())).append("  ").append(SafeText.oneLine(info.script())).append('\n');
            JsonObject o = new JsonObject();
            o.addProperty("version", info.version());
            o.addProperty("script", info.script());
            o.addProperty("description", info.description());
            json.add(o);
        }
        context.emit(request.format().equals("json") ? ChangeCommand.GSON.toJson(json) + "\n" : text.toString());
        return ExitCodes.OK;
    }

    private int apply(Request request) throws SQLException {
        MigrationFolder folder = request.folder();
        String actor = AuditTrail.actor(connections.describe());
        List<Flyway.Info> pending = ChangeTarget.pending(ChangeTarget.checkedInfo(flyway(folder, request.lockTimeout(), null), folder));
        if (pending.isEmpty()) {
            context.out().println("nothing pending on " + name());
            return ExitCodes.OK;
        }
        Confirmation.ask(context, request.yes(), "change apply", "apply " + String.join(", ", pending.stream().map(ChangeTarget::name).toList())
                + " to " + name() + " with no restore point (SQL Server: the way back is your backup, or an undo script)");
        try (Connection lock = connections.open(request.lockTimeout()); StateStore store = AuditTrail.open(context)) {
            changeLock(lock, request.lockTimeout());
            String id = UUID.randomUUID().toString();
            Instant started = Instant.now();
            JsonObject body = new JsonObject();
            body.addProperty("folder", folder.folder().toAbsolutePath().toString());
            JsonArray versions = new JsonArray();
            pending.forEach(p -> versions.add(p.version()));
            body.add("versions", versions);
            body.addProperty("restorePoint", "none (SQL Server)");
            AuditTrail.save(context, store, new StateStore.ChangeRow(id, name(), "apply", actor, started, null, "running", body.toString()));
            int applied;
            try {
                applied = ChangeCommand.withRetries(context, request.retries(), "apply",
                        () -> flyway(folder, request.lockTimeout(), actor).migrate());
            } catch (Flyway.FlywayFailure e) {
                return ChangeCommand.failed(context, store, name(), actor, id, started, body, "apply", e.getMessage());
            }
            AuditTrail.save(context, store, new StateStore.ChangeRow(id, name(), "apply", actor, started, Instant.now(), "applied", body.toString()));
            context.out().println("applied " + applied + " migration" + (applied == 1 ? "" : "s") + " to " + name() + " (no restore point)");
            return ExitCodes.OK;
        }
    }

    private int rollback(Request request) throws SQLException {
        MigrationFolder folder = request.folder();
        String actor = AuditTrail.actor(connections.describe());
        try (Connection lock = connections.open(request.lockTimeout()); StateStore store = AuditTrail.open(context)) {
            String version = lastApplied(lock).orElseThrow(() -> DbtoolException.usage("change rollback: " + name() + " has no applied migration in "
                    + Flyway.HISTORY_TABLE));
            MigrationFolder.Migration undo = folder.undo(version).orElseThrow(() -> DbtoolException.usage(folder.folder() + ": no U" + version
                    + "__*.sql to undo V" + version + " (the last applied version of " + name() + "); on SQL Server only an undo script rolls back"));
            Confirmation.ask(context, request.yes(), "change rollback", "run " + undo.script() + " on " + name() + " and remove V" + version + " from "
                    + Flyway.HISTORY_TABLE);
            changeLock(lock, request.lockTimeout());
            String id = UUID.randomUUID().toString();
            Instant started = Instant.now();
            JsonObject body = new JsonObject();
            body.addProperty("version", version);
            body.addProperty("by", undo.script());
            AuditTrail.save(context, store, new StateStore.ChangeRow(id, name(), "rollback", actor, started, null, "running", body.toString()));
            try {
                ChangeCommand.withRetries(context, request.retries(), "rollback", () -> runUndo(undo, version, request.lockTimeout()));
            } catch (Flyway.FlywayFailure e) {
                return ChangeCommand.failed(context, store, name(), actor, id, started, body, "rollback", e.getMessage());
            }
            AuditTrail.save(context, store, new StateStore.ChangeRow(id, name(), "rollback", actor, started, Instant.now(), "rolled back", body.toString()));
            context.out().println("rolled back V" + version + " on " + name() + " by " + undo.script());
            return ExitCodes.OK;
        }
    }

    private int history(Request request) throws SQLException {
        List<JsonObject> rows = new ArrayList<>();
        try (Connection c = connections.open(Duration.ofSeconds(2)); Statement s = c.createStatement()) {
            if (historyExists(s)) {
                rows.addAll(ChangeCommand.historyRows(s));
            }
        }
        return ChangeCommand.printHistory(context, name(), rows, request.format());
    }

    /** Runs the undo script batch by batch (split at GO, as sqlcmd does) and removes the version, in one transaction. */
    private int runUndo(MigrationFolder.Migration undo, String version, Duration lockTimeout) {
        List<String> batches;
        try {
            batches = TsqlBatches.split(Files.readString(undo.file()));
        } catch (IOException e) {
            throw DbtoolException.usage(undo.file() + ": cannot read: " + IoErrors.describe(e));
        }
        ChangeCommand.undo(() -> connections.open(lockTimeout), undo.script(), batches, version);
        return 1;
    }

    private static boolean historyExists(Statement s) throws SQLException {
        try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA = SCHEMA_NAME() AND TABLE_NAME = '"
                + Flyway.HISTORY_TABLE + "'")) {
            return rs.next() && rs.getInt(1) > 0;
        }
    }

    private static Optional<String> lastApplied(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            if (!historyExists(s)) {
                return Optional.empty();
            }
            try (ResultSet rs = s.executeQuery("SELECT TOP 1 version FROM " + Flyway.HISTORY_TABLE
                    + " WHERE version IS NOT NULL AND success = 1 AND type <> 'BASELINE' ORDER BY installed_rank DESC")) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }

    /**
     * dbtool's application lock on the database for this session, waited for at most the lock timeout (a change that just ended
     * may still be letting go of it): another change holds it, or this one goes ahead.
     */
    private void changeLock(Connection lock, Duration lockTimeout) throws SQLException {
        try (Statement s = lock.createStatement(); ResultSet rs = s.executeQuery("DECLARE @granted INT; EXEC @granted = sp_getapplock @Resource = '"
                + CHANGE_LOCK + "', @LockMode = 'Exclusive', @LockOwner = 'Session', @LockTimeout = " + lockTimeout.toMillis() + "; SELECT @granted")) {
            if (!rs.next() || rs.getInt(1) < 0) {
                throw DbtoolException.config("change: another change is running on " + name() + " (it holds the application lock '" + CHANGE_LOCK
                        + "'); try again when it has finished");
            }
        }
    }

    static boolean lockProblem(Flyway.FlywayFailure e) {
        return e.errorCode() == LOCK_TIMEOUT || e.errorCode() == DEADLOCK;
    }

    static boolean is(ResolvedTarget resolved) {
        return resolved.target().engine().toLowerCase(Locale.ROOT).equals("sqlserver");
    }
}
