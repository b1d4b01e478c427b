package dbtool.change;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dbtool.change.migrate.Flyway;
import dbtool.change.migrate.FlywayLoader;
import dbtool.change.migrate.MigrationFolder;
import dbtool.change.migrate.OpeningDataSource;
import dbtool.change.migrate.SqlScript;
import dbtool.change.postgres.Connections;
import dbtool.change.postgres.LocalClusters;
import dbtool.change.postgres.PgTools;
import dbtool.change.postgres.Projection;
import dbtool.change.postgres.RestorePoint;
import dbtool.change.postgres.StatementKind;
import dbtool.change.postgres.TargetProfile;
import dbtool.change.report.DryRunReport;
import dbtool.change.report.DryRunRenderer;
import dbtool.core.DbtoolException;
import dbtool.core.ExitCodes;
import dbtool.core.SafeText;
import dbtool.core.cli.Command;
import dbtool.core.cli.CommandContext;
import dbtool.core.run.ResolvedTarget;
import dbtool.core.run.TargetResolver;
import dbtool.core.run.TargetUrls;
import dbtool.serve.store.StateStore;
import dbtool.spi.Redaction;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

/**
 * {@code dbtool change}: migrations with a measured dry run on a clone, applied behind a restore
 * point, a lock timeout and an advisory lock, audited, and rolled back by an undo script or the
 * restore point. The only dbtool command besides {@code config set} whose sessions write.
 */
public final class ChangeCommand implements Command {

    static final List<String> ACTIONS = List.of("plan", "dry-run", "apply", "rollback", "history");
    /** The advisory lock that keeps changes to one database one at a time ("dbtoolc"). */
    static final long CHANGE_LOCK = 0x6462746f6f6c63L;
    static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();

    @Override
    public String name() {
        return "change";
    }

    @Override
    public String synopsis() {
        return "plan|dry-run|apply|rollback|history TARGET [options]";
    }

    @Override
    public String summary() {
        return "migrations: plan, dry run on a clone, apply behind a restore point, roll back";
    }

    @Override
    public String description() {
        return """
                Migrations in Flyway's convention (V<version>__<description>.sql, undone by U<version>__<description>.sql) \
                and its history table flyway_schema_history. 'plan' lists the pending migrations and what each statement \
                will lock. 'dry-run' applies them to a clone (a throwaway local cluster of the target's major version, \
                or --clone-url) with the target's schema, records each statement's locks, rewrites and time, and projects \
                them onto the target's sizes and traffic; the target is only read. 'apply' takes a restore point first \
                (pg_dump -Fc of the touched tables, checksum, pg_create_restore_point when allowed), holds an advisory \
                lock, runs with a lock timeout and bounded retries, and audits who, what, when and the result in the run \
                log and the state store. 'rollback' runs the undo script of the last applied version, else restores the \
                restore point of the last apply after naming what will be lost. SQL Server: plan, apply (Flyway's \
                sp_getapplock, SET LOCK_TIMEOUT; no restore point, so apply needs --no-restore-point), rollback by the \
                undo script, and history; no dry run.""";
    }

    @Override
    public Options options() {
        return new Options()
                .addOption(Option.builder().longOpt("migrations").hasArg().argName("DIR")
                        .desc("the folder of V/U migration files (plan, dry-run, apply; rollback for undo scripts)").get())
                .addOption(Option.builder().longOpt("yes").desc("apply and rollback: do not ask (needed without a terminal)").get())
                .addOption(Option.builder().longOpt("format").hasArg().argName("FORMAT").desc("text (default), json or markdown (dry-run)").get())
                .addOption(Option.builder().longOpt("clone-url").hasArg().argName("URL")
                        .desc("dry-run: a scratch PostgreSQL server to clone onto (its role needs CREATEDB) instead of a local cluster").get())
                .addOption(Option.builder().longOpt("sample").hasArg().argName("DURATION")
                        .desc("dry-run: how long to sample the target's traffic (default 5s)").get())
                .addOption(Option.builder().longOpt("lock-timeout").hasArg().argName("DURATION")
                        .desc("apply, rollback: give up a lock wait after this long, then retry (default 5s)").get())
                .addOption(Option.builder().longOpt("retries").hasArg().argName("N")
                        .desc("apply, rollback: tries after a lock timeout (default 3, backing off)").get())
                .addOption(Option.builder().longOpt("restore-limit").hasArg().argName("BYTES")
                        .desc("apply: the largest whole-database restore point, e.g. 2GB (default 1GB)").get())
                .addOption(Option.builder().longOpt("undo").desc("rollback: only by the undo script (U<version>__*.sql)").get())
                .addOption(Option.builder().longOpt("no-restore-point")
                        .desc("apply on SQL Server: go ahead without a restore point (dbtool takes none there; take a backup first)").get());
    }

    @Override
    public int[] arity() {
        return new int[] {2, 2};
    }

    @Override
    public int run(CommandLine line, CommandContext context) throws Exception {
        String action = line.getArgList().get(0);
        if (!ACTIONS.contains(action)) {
            throw DbtoolException.usage("change: unknown action '" + SafeText.oneLine(action) + "'; expected one of " + String.join(", ", ACTIONS));
        }
        String format = line.getOptionValue("format", "text").toLowerCase(Locale.ROOT);
        if (!List.of("text", "json", "markdown").contains(format)) {
            throw DbtoolException.usage("--format: expected text, json or markdown, got '" + SafeText.oneLine(line.getOptionValue("format")) + "'");
        }
        Duration lockTimeout = duration(line, "lock-timeout", Duration.ofSeconds(5));
        Duration sample = duration(line, "sample", Duration.ofSeconds(5));
        int retries = integer(line, "retries", 3);
        long restoreLimit = bytes(line, "restore-limit", 1L << 30);
        MigrationFolder folder = null;
        if (line.hasOption("migrations")) {
            folder = MigrationFolder.read(Path.of(line.getOptionValue("migrations")));
        } else if (List.of("plan", "dry-run", "apply").contains(action)) {
            throw DbtoolException.usage("change " + action + ": --migrations DIR is required (the folder of V<version>__<description>.sql files)");
        }
        if (line.hasOption("undo") && folder == null) {
            throw DbtoolException.usage("--undo: needs --migrations DIR, where the undo scripts are");
        }
        ResolvedTarget resolved = new TargetResolver(context.config(), context.plugins()).resolve(line.getArgList().get(1));
        if (SqlServerChange.is(resolved)) {
            try {
                return SqlServerChange.run(resolved, new SqlServerChange.Request(action, folder, format, line.hasOption("yes"), line.hasOption("undo"),
                        line.hasOption("no-restore-point"), lockTimeout, retries), context);
            } catch (Flyway.FlywayFailure e) {
                throw DbtoolException.config("change " + action + ": " + SafeText.oneLine(Redaction.redact(line.getArgList().get(1))) + ": "
                        + e.getMessage());
            }
        }
        if (line.hasOption("no-restore-point")) {
            throw DbtoolException.usage("--no-restore-point: for SQL Server targets only; on PostgreSQL apply always takes a restore point first");
        }
        try (ChangeTarget target = ChangeTarget.open(resolved, context)) {
            return act(action, target, folder, context, format, line, lockTimeout, sample, retries, restoreLimit);
        } catch (Flyway.FlywayFailure e) {
            throw DbtoolException.config("change " + action + ": " + SafeText.oneLine(Redaction.redact(line.getArgList().get(1))) + ": " + e.getMessage());
        }
    }

    private static int act(String action, ChangeTarget target, MigrationFolder folder, CommandContext context, String format, CommandLine line,
                           Duration lockTimeout, Duration sample, int retries, long restoreLimit) throws Exception {
        {
            return switch (action) {
                case "plan" -> plan(target, folder, context, format, lockTimeout);
                case "dry-run" -> dryRun(target, folder, context, format, line, sample, lockTimeout);
                case "apply" -> apply(target, folder, context, line.hasOption("yes"), lockTimeout, retries, restoreLimit);
                case "rollback" -> rollback(target, folder, context, line.hasOption("yes"), line.hasOption("undo"), lockTimeout, retries);
                default -> history(target, context, format);
            };
        }
    }

    private static int plan(ChangeTarget target, MigrationFolder folder, CommandContext context, String format, Duration lockTimeout)
            throws Exception {
        Flyway flyway = target.flyway(context, folder, true, lockTimeout, null);
        List<Flyway.Info> pending = ChangeTarget.pending(ChangeTarget.checkedInfo(flyway, folder));
        TargetProfile profile;
        try (Connection c = target.connections.readOnly(Duration.ofSeconds(10), lockTimeout)) {
            profile = TargetProfile.start(c).finish(c);
        }
        JsonArray json = new JsonArray();
        StringBuilder text = new StringBuilder();
        text.append(pending.isEmpty() ? "nothing pending on " + SafeText.oneLine(target.name()) + "\n"
                : pending.size() + " pending on " + SafeText.oneLine(target.name()) + " (what the text says; 'change dry-run' measures)\n");
        for (Flyway.Info info : pending) {
            MigrationFolder.Migration migration = folder.version(info.version()).orElseThrow();
            text.append("\nV").append(info.version()).append("  ").append(SafeText.oneLine(migration.script())).append('\n');
            for (SqlScript.Statement s : migration.statements()) {
                StatementKind kind = StatementKind.of(s);
                String size = kind.table() == null ? "" : profile.table(kind.table()).map(t -> ", " + Projection.bytes(t.totalBytes())).orElse(", new");
                String lock = kind.lock() == null ? "no table lock known" : Projection.lockName(kind.lock()) + " on " + kind.table() + size
                        + (kind.scans() ? ", reads the whole table" : "");
                text.append("  line ").append(s.line()).append(": ").append(SafeText.oneLine(s.summary(90))).append("\n    ").append(lock).append('\n');
                JsonObject o = new JsonObject();
                o.addProperty("version", info.version());
                o.addProperty("script", migration.script());
                o.addProperty("line", s.line());
                o.addProperty("sql", s.summary(400));
                o.addProperty("lock", kind.lock());
                o.addProperty("table", kind.table());
                o.addProperty("scans", kind.scans());
                json.add(o);
            }
        }
        context.emit(format.equals("json") ? GSON.toJson(json) + "\n" : text.toString());
        return ExitCodes.OK;
    }

    private static int dryRun(ChangeTarget target, MigrationFolder folder, CommandContext context, String format, CommandLine line,
                              Duration sample, Duration lockTimeout) throws Exception {
        Connections scratch = null;
        Optional<String> cloneUrl = Optional.ofNullable(line.getOptionValue("clone-url"));
        if (cloneUrl.isPresent()) {
            URI uri = TargetUrls.parse(cloneUrl.get());
            if (!"postgresql".equals(TargetUrls.scheme(uri)) && !"postgres".equals(TargetUrls.scheme(uri))) {
                throw DbtoolException.usage("--clone-url: expected postgresql://USER@HOST:PORT/DB, got '" + Redaction.redact(cloneUrl.get()) + "'");
            }
            String user = uri.getUserInfo() == null ? null : uri.getUserInfo().split(":")[0];
            char[] password = context.environment().get("PGPASSWORD").map(String::toCharArray).orElse(null);
            scratch = new Connections(target.connections.driver(), TargetUrls.host(uri), uri.getPort() > 0 ? uri.getPort() : 5432,
                    uri.getPath() == null || uri.getPath().length() <= 1 ? "postgres" : uri.getPath().substring(1), user, password, Map.of(),
                    "dbtool-change-clone");
        }
        Flyway flyway = target.flyway(context, folder, true, lockTimeout, null);
        DryRunReport report = DryRun.run(target, folder, flyway, new DryRun.Settings(sample, scratch, lockTimeout), context.environment());
        context.log().info("change dry-run " + target.name() + ": " + report.status());
        context.emit(switch (format) {
            case "json" -> GSON.toJson(report) + "\n";
            case "markdown" -> DryRunRenderer.markdown(report);
            default -> DryRunRenderer.text(report);
        });
        return switch (report.status()) {
            case "OK" -> ExitCodes.OK;
            case "RISKY" -> ExitCodes.WARNING;
            default -> ExitCodes.CRITICAL;
        };
    }

    private static int apply(ChangeTarget target, MigrationFolder folder, CommandContext context, boolean yes, Duration lockTimeout,
                             int retries, long restoreLimit) throws Exception {
        String actor = actor(target);
        Flyway reader = target.flyway(context, folder, true, lockTimeout, null);
        List<Flyway.Info> pending = ChangeTarget.pending(ChangeTarget.checkedInfo(reader, folder));
        if (pending.isEmpty()) {
            context.out().println("nothing pending on " + target.name());
            return ExitCodes.OK;
        }
        List<SqlScript.Statement> statements = new ArrayList<>();
        List<String> versions = new ArrayList<>();
        for (Flyway.Info info : pending) {
            statements.addAll(folder.version(info.version()).orElseThrow().statements());
            versions.add(info.version());
        }
        Optional<Set<String>> touched = StatementKind.touchedTables(statements);
        String what = "apply " + String.join(", ", pending.stream().map(ChangeTarget::name).toList()) + " to " + target.name()
                + ", after a restore point of " + touched.map(t -> t.isEmpty() ? "its schema (no existing table is touched)" : String.join(", ", t))
                .orElse("the whole database");
        Confirmation.ask(context, yes, "change apply", what);
        try (Connection lock = target.connections.write(lockTimeout); StateStore store = AuditTrail.open(context)) {
            advisoryLock(lock, target);
            String id = UUID.randomUUID().toString();
            Instant started = Instant.now();
            JsonObject body = new JsonObject();
            body.addProperty("folder", folder.folder().toAbsolutePath().toString());
            JsonArray versionArray = new JsonArray();
            versions.forEach(versionArray::add);
            body.add("versions", versionArray);
            AuditTrail.save(context, store, new StateStore.ChangeRow(id, target.name(), "apply", actor, started, null, "running", body.toString()));
            try {
                int[] server = target.serverVersion();
                PgTools tools = tools(target, server[0], context);
                Path dir = context.environment().dataDir().resolve("change").resolve(target.name().replaceAll("[^A-Za-z0-9._-]", "_"));
                Files.createDirectories(dir);
                RestorePoint point = RestorePoint.take(target.connections, tools, lock, touched.orElse(null), restoreLimit,
                        dir.resolve(started.toString().replace(':', '-') + ".dump"), "dbtool-" + id.substring(0, 8), lockTimeout);
                body.add("restorePoint", point.toJson());
                context.err().println("restore point: " + point.file() + " (" + Projection.bytes(point.bytes()) + ", sha256 " + point.sha256()
                        + (point.walPoint() != null ? ", WAL restore point " + point.walPoint() + " at " + point.walLsn() : ", no WAL restore point: "
                        + point.walReason()) + ")");
                Flyway writer = Flyway.configure(FlywayLoader.loader(context.environment()),
                        target.connections.dataSource(false, lockTimeout), folder.folder(), actor, null);
                // A migration that runs outside a transaction (CONCURRENTLY) may fail half done: it is not tried again.
                boolean transactional = statements.stream().allMatch(SqlScript.Statement::transactional);
                if (!transactional && retries > 0) {
                    context.err().println("change apply: a migration runs outside a transaction (CONCURRENTLY, VACUUM): no retries, "
                            + "since a half-applied one cannot simply run again");
                }
                int applied = withRetries(context, transactional ? retries : 0, "apply", writer::migrate);
                body.addProperty("applied", applied);
                AuditTrail.save(context, store, new StateStore.ChangeRow(id, target.name(), "apply", actor, started, Instant.now(), "applied", body.toString()));
                context.out().println("applied " + applied + " migration(s) to " + target.name() + ": V" + String.join(", V", versions));
                return ExitCodes.OK;
            } catch (Flyway.FlywayFailure | IOException | SQLException | DbtoolException e) {
                String message = e instanceof Flyway.FlywayFailure f && f.sqlState().filter("55P03"::equals).isPresent()
                        ? "gave up after " + (retries + 1) + " lock timeouts of " + lockTimeout.toMillis() + " ms: " + e.getMessage()
                        : e.getMessage();
                body.addProperty("message", message);
                AuditTrail.save(context, store, new StateStore.ChangeRow(id, target.name(), "apply", actor, started, Instant.now(), "failed", body.toString()));
                context.err().println("dbtool: change apply: " + SafeText.oneLine(target.name()) + ": " + SafeText.oneLine(message));
                return ExitCodes.CRITICAL;
            }
        }
    }

    private static int rollback(ChangeTarget target, MigrationFolder folder, CommandContext context, boolean yes, boolean undoOnly,
                                Duration lockTimeout, int retries) throws Exception {
        String actor = actor(target);
        try (Connection lock = target.connections.write(lockTimeout); StateStore store = AuditTrail.open(context)) {
            Optional<String> last = lastApplied(lock);
            if (last.isEmpty()) {
                throw DbtoolException.usage("change rollback: " + target.name() + " has no applied migration in " + Flyway.HISTORY_TABLE);
            }
            String version = last.get();
            Optional<MigrationFolder.Migration> undo = folder == null ? Optional.empty() : folder.undo(version);
            if (undoOnly && undo.isEmpty()) {
                throw DbtoolException.usage(folder.folder() + ": no U" + version + "__*.sql to undo V" + version
                        + " (the last applied version of " + target.name() + "); without --undo, rollback uses the restore point");
            }
            Optional<StateStore.ChangeRow> applyRow = store.changes(target.name(), 200).stream()
                    .filter(r -> r.action().equals("apply") && r.result().equals("applied") && r.body().contains("\"" + version + "\""))
                    .findFirst();
            String id = UUID.randomUUID().toString();
            Instant started = Instant.now();
            JsonObject body = new JsonObject();
            body.addProperty("version", version);
            if (undo.isPresent()) {
                Confirmation.ask(context, yes, "change rollback", "run " + undo.get().script() + " on " + target.name() + " and remove V" + version + " from "
                        + Flyway.HISTORY_TABLE);
                advisoryLock(lock, target);
                body.addProperty("by", undo.get().script());
                AuditTrail.save(context, store, new StateStore.ChangeRow(id, target.name(), "rollback", actor, started, null, "running", body.toString()));
                try {
                    withRetries(context, retries, "rollback", () -> {
                        runUndo(target, undo.get(), version, lockTimeout);
                        return 1;
                    });
                } catch (Flyway.FlywayFailure | DbtoolException e) {
                    return failed(context, store, target, actor, id, started, body, "rollback", e.getMessage());
                }
            } else {
                if (applyRow.isEmpty() || !applyRow.get().body().contains("\"restorePoint\"")) {
                    throw DbtoolException.usage("change rollback: no U" + version + "__*.sql" + (folder == null ? " (give --migrations DIR)" : " in "
                            + folder.folder()) + " and no restore point of V" + version + " in the state store; nothing to roll back with");
                }
                JsonObject applied = GSON.fromJson(applyRow.get().body(), JsonObject.class);
                RestorePoint point = RestorePoint.fromJson(applied.getAsJsonObject("restorePoint"));
                if (!point.intact()) {
                    throw DbtoolException.config("change rollback: the restore point " + point.file() + " is missing or its checksum no longer matches "
                            + point.sha256() + "; nothing restored");
                }
                List<String> versions = new ArrayList<>();
                applied.getAsJsonArray("versions").forEach(v -> versions.add(v.getAsString()));
                String lost = point.wholeDatabase() ? "every change to the whole database" : point.tables().isEmpty()
                        ? "nothing (the change touched no existing table; objects it created stay)"
                        : "every row written to " + String.join(", ", point.tables());
                Confirmation.ask(context, yes, "change rollback", "restore " + target.name() + " from the restore point of " + applyRow.get().startedAt()
                        + " (undoing V" + String.join(", V", versions) + "): " + lost + " since then will be lost");
                advisoryLock(lock, target);
                body.addProperty("by", "restore point " + point.file());
                AuditTrail.save(context, store, new StateStore.ChangeRow(id, target.name(), "rollback", actor, started, null, "running", body.toString()));
                try {
                    point.restore(target.connections, tools(target, target.serverVersion()[0], context));
                    try (PreparedStatement delete = lock.prepareStatement("DELETE FROM " + Flyway.HISTORY_TABLE + " WHERE version = ANY (?)")) {
                        delete.setArray(1, lock.createArrayOf("varchar", versions.toArray()));
                        delete.executeUpdate();
                    }
                } catch (IOException | SQLException e) {
                    return failed(context, store, target, actor, id, started, body, "rollback", e.getMessage());
                }
            }
            AuditTrail.save(context, store, new StateStore.ChangeRow(id, target.name(), "rollback", actor, started, Instant.now(), "rolled back", body.toString()));
            context.out().println("rolled back V" + version + " on " + target.name() + " by " + body.get("by").getAsString());
            return ExitCodes.OK;
        }
    }

    private static int history(ChangeTarget target, CommandContext context, String format) throws Exception {
        List<JsonObject> rows = new ArrayList<>();
        try (Connection c = target.connections.readOnly(Duration.ofSeconds(10), Duration.ofSeconds(2)); Statement s = c.createStatement()) {
            boolean exists;
            try (ResultSet rs = s.executeQuery("SELECT to_regclass('" + Flyway.HISTORY_TABLE + "') IS NOT NULL")) {
                rs.next();
                exists = rs.getBoolean(1);
            }
            if (exists) {
                rows.addAll(historyRows(s));
            }
        }
        return printHistory(context, target.name(), rows, format);
    }

    /** Flyway's history table, oldest first: the same columns on every engine. */
    static List<JsonObject> historyRows(Statement s) throws SQLException {
        List<JsonObject> rows = new ArrayList<>();
        try (ResultSet rs = s.executeQuery("SELECT installed_rank, version, script, installed_by, installed_on, execution_time, success FROM "
                + Flyway.HISTORY_TABLE + " ORDER BY installed_rank")) {
            while (rs.next()) {
                JsonObject o = new JsonObject();
                o.addProperty("version", rs.getString(2));
                o.addProperty("script", rs.getString(3));
                o.addProperty("installedBy", rs.getString(4));
                o.addProperty("installedOn", rs.getTimestamp(5).toInstant().toString());
                o.addProperty("executionMs", rs.getInt(6));
                o.addProperty("success", rs.getBoolean(7));
                rows.add(o);
            }
        }
        return rows;
    }

    /** The history table's rows and the state store's audit, as text or JSON; the same for every engine. */
    static int printHistory(CommandContext context, String target, List<JsonObject> rows, String format) {
        List<StateStore.ChangeRow> audit;
        try (StateStore store = AuditTrail.open(context)) {
            audit = store.changes(target, 50);
        }
        if (format.equals("json")) {
            JsonObject out = new JsonObject();
            JsonArray applied = new JsonArray();
            rows.forEach(applied::add);
            out.add("applied", applied);
            JsonArray changes = new JsonArray();
            audit.forEach(r -> changes.add(AuditTrail.json(r)));
            out.add("audit", changes);
            context.emit(GSON.toJson(out) + "\n");
            return ExitCodes.OK;
        }
        StringBuilder text = new StringBuilder("applied on " + SafeText.oneLine(target) + " (" + Flyway.HISTORY_TABLE + "):\n");
        if (rows.isEmpty()) {
            text.append("  none\n");
        }
        for (JsonObject o : rows) {
            text.append(String.format(Locale.ROOT, "  V%-8s %-40s %s by %s%s%n", SafeText.oneLine(o.get("version").getAsString()),
                    SafeText.oneLine(o.get("script").getAsString()), o.get("installedOn").getAsString(), SafeText.oneLine(o.get("installedBy").getAsString()),
                    o.get("success").getAsBoolean() ? "" : " FAILED"));
        }
        text.append("dbtool changes (state store):\n");
        if (audit.isEmpty()) {
            text.append("  none\n");
        }
        for (StateStore.ChangeRow r : audit) {
            text.append(String.format(Locale.ROOT, "  %s %-8s %-12s by %s%n", r.startedAt(), r.action(), r.result(), SafeText.oneLine(r.actor())));
        }
        context.emit(text.toString());
        return ExitCodes.OK;
    }

    // --- helpers ---

    interface Attempt {
        int run();
    }

    /**
     * Runs {@code attempt}, again after a lock timeout (55P03, SQL Server's 1222) or deadlock (40P01, 1205), backing off; at most
     * {@code retries} more times.
     */
    static int withRetries(CommandContext context, int retries, String action, Attempt attempt) {
        for (int i = 0; ; i++) {
            try {
                return attempt.run();
            } catch (Flyway.FlywayFailure e) {
                boolean lockProblem = e.sqlState().filter(s -> s.equals("55P03") || s.equals("40P01")).isPresent() || SqlServerChange.lockProblem(e);
                if (!lockProblem || i >= retries) {
                    throw e;
                }
                long backoff = 500L << i;
                context.err().println("change " + action + ": lock not granted within the lock timeout; try " + (i + 2) + " of " + (retries + 1)
                        + " in " + backoff + " ms");
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    private static void runUndo(ChangeTarget target, MigrationFolder.Migration undo, String version, Duration lockTimeout) {
        undo(() -> target.connections.write(lockTimeout), undo.script(), undo.statements().stream().map(SqlScript.Statement::sql).toList(), version);
    }

    /** Runs an undo script's statements and removes its version from the history table, in one transaction of a session of its own. */
    static void undo(OpeningDataSource.Opener session, String script, List<String> statements, String version) {
        try (Connection c = session.open()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                for (String statement : statements) {
                    s.execute(statement);
                }
                try (PreparedStatement delete = c.prepareStatement("DELETE FROM " + Flyway.HISTORY_TABLE + " WHERE version = ?")) {
                    delete.setString(1, version);
                    delete.executeUpdate();
                }
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new Flyway.FlywayFailure(script + ": " + e.getMessage(), e.getSQLState(), e.getErrorCode(), e);
        }
    }

    private static Optional<String> lastApplied(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT to_regclass('" + Flyway.HISTORY_TABLE + "') IS NOT NULL")) {
                rs.next();
                if (!rs.getBoolean(1)) {
                    return Optional.empty();
                }
            }
            try (ResultSet rs = s.executeQuery("SELECT version FROM " + Flyway.HISTORY_TABLE
                    + " WHERE version IS NOT NULL AND success AND type <> 'BASELINE' ORDER BY installed_rank DESC LIMIT 1")) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }

    private static void advisoryLock(Connection lock, ChangeTarget target) throws SQLException {
        try (Statement s = lock.createStatement(); ResultSet rs = s.executeQuery("SELECT pg_try_advisory_lock(" + CHANGE_LOCK + ")")) {
            rs.next();
            if (!rs.getBoolean(1)) {
                throw DbtoolException.config("change: another change is running on " + target.name()
                        + " (it holds dbtool's advisory lock " + CHANGE_LOCK + "); try again when it has finished");
            }
        }
    }

    private static int failed(CommandContext context, StateStore store, ChangeTarget target, String actor, String id, Instant started,
                              JsonObject body, String action, String message) {
        return failed(context, store, target.name(), actor, id, started, body, action, message);
    }

    /** Audits a write that failed and says so in one line: exit 2. */
    static int failed(CommandContext context, StateStore store, String target, String actor, String id, Instant started,
                      JsonObject body, String action, String message) {
        body.addProperty("message", message);
        AuditTrail.save(context, store, new StateStore.ChangeRow(id, target, action, actor, started, Instant.now(), "failed", body.toString()));
        context.err().println("dbtool: change " + action + ": " + SafeText.oneLine(target) + ": " + SafeText.oneLine(message));
        return ExitCodes.CRITICAL;
    }

    private static PgTools tools(ChangeTarget target, int major, CommandContext context) {
        Path binaries = LocalClusters.of(target.plugin).binaries(context.environment().variables(), major).orElseThrow(() ->
                DbtoolException.config("change: no PostgreSQL " + major + " client programs (pg_dump, pg_restore) on this machine for "
                        + target.name() + "; install postgresql-client-" + major));
        return new PgTools(binaries);
    }

    private static String actor(ChangeTarget target) {
        return AuditTrail.actor(target.connections.describe());
    }

    static Duration duration(CommandLine line, String option, Duration fallback) {
        if (!line.hasOption(option)) {
            return fallback;
        }
        String value = line.getOptionValue(option).strip().toLowerCase(Locale.ROOT);
        try {
            if (value.matches("\\d+ms")) {
                return Duration.ofMillis(Long.parseLong(value.substring(0, value.length() - 2)));
            }
            if (value.matches("\\d+s")) {
                return Duration.ofSeconds(Long.parseLong(value.substring(0, value.length() - 1)));
            }
            if (value.matches("\\d+m")) {
                return Duration.ofMinutes(Long.parseLong(value.substring(0, value.length() - 1)));
            }
            return Duration.parse(value.toUpperCase(Locale.ROOT));
        } catch (NumberFormatException | DateTimeParseException e) {
            // below
        }
        throw DbtoolException.usage("--" + option + ": expected a duration such as 500ms, 5s or 2m, got '" + SafeText.oneLine(value) + "'");
    }

    static int integer(CommandLine line, String option, int fallback) {
        if (!line.hasOption(option)) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(line.getOptionValue(option).strip());
            if (value >= 0 && value <= 20) {
                return value;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw DbtoolException.usage("--" + option + ": expected a whole number from 0 to 20, got '" + SafeText.oneLine(line.getOptionValue(option)) + "'");
    }

    static long bytes(CommandLine line, String option, long fallback) {
        if (!line.hasOption(option)) {
            return fallback;
        }
        String value = line.getOptionValue(option).strip().toUpperCase(Locale.ROOT);
        Matcher m = Pattern.compile("(\\d+)\\s*(B|KB|MB|GB|TB)?").matcher(value);
        if (m.matches()) {
            int shift = switch (m.group(2) == null ? "B" : m.group(2)) {
                case "KB" -> 10;
                case "MB" -> 20;
                case "GB" -> 30;
                case "TB" -> 40;
                default -> 0;
            };
            return Long.parseLong(m.group(1)) << shift;
        }
        throw DbtoolException.usage("--" + option + ": expected a size such as 500MB or 2GB, got '" + SafeText.oneLine(value) + "'");
    }
}
