package dbtool.change;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dbtool.core.DbtoolException;
import dbtool.core.ExitCodes;
import dbtool.core.SafeText;
import dbtool.core.cli.Command;
import dbtool.core.cli.CommandContext;
import dbtool.core.report.TextTable;
import dbtool.core.run.ResolvedTarget;
import dbtool.core.run.Suggestions;
import dbtool.core.run.TargetResolver;
import dbtool.serve.store.StateStore;
import dbtool.spi.ConfigurationException;
import dbtool.spi.Credentials;
import dbtool.spi.ServerConfiguration;
import dbtool.spi.SessionSettings;
import dbtool.spi.UsageException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

/**
 * {@code dbtool config}: a server's configuration parameters, shown and changed online through the
 * engine plugin's {@link ServerConfiguration}. A change is checked against what the server declares
 * before anything is written, confirmed, audited (with the value it replaces, so that
 * {@code config rollback} can restore it) and read back. Restart-only parameters are written only
 * with {@code --allow-restart}, and then reported as pending.
 */
public final class ConfigCommand implements Command {

    static final List<String> ACTIONS = List.of("show", "set", "rollback", "history");
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().serializeNulls().create();

    @Override
    public String name() {
        return "config";
    }

    @Override
    public String synopsis() {
        return "show|set|rollback|history TARGET [PARAMETER...|NAME=VALUE] [options]";
    }

    @Override
    public String summary() {
        return "server parameters: show, set online (validated, verified), roll back";
    }

    @Override
    public String description() {
        return """
                'show' lists the server's parameters (all, or those named) with their running value, unit, source, context \
                (when a change takes effect), pending restart, range and allowed values; the session is read-only. \
                'set NAME=VALUE' checks the value against what the server declares (type, unit such as 64MB or 500ms, \
                minimum and maximum, enum values) and the parameter's context, says what it will do, asks unless --yes, \
                writes it (PostgreSQL: ALTER SYSTEM SET and pg_reload_conf(); SQL Server: sp_configure and RECONFIGURE; \
                under a lock timeout), reads the running value back and reports a pending restart. A parameter that takes \
                effect only after a restart is refused unless --allow-restart. 'rollback [NAME]' restores the value the last \
                'config set' replaced (ALTER SYSTEM RESET when there was none). 'history' lists the audited changes. Every \
                write is audited (who, what, when, old and new value, result) in the run log and the state store. Engines: \
                those whose plugin offers dbtool.spi.ServerConfiguration (PostgreSQL; SQL Server; MongoDB through \
                getParameter and setParameter, where a change lasts until the server restarts, rollback sets the value it \
                replaced, and a startup-only parameter is refused even with --allow-restart).""";
    }

    @Override
    public Options options() {
        return new Options()
                .addOption(Option.builder().longOpt("yes").desc("set, rollback: do not ask (needed without a terminal)").get())
                .addOption(Option.builder().longOpt("allow-restart")
                        .desc("set, rollback: write a parameter that takes effect only after a restart, and leave it pending").get())
                .addOption(Option.builder().longOpt("format").hasArg().argName("FORMAT").desc("text (default) or json (show, history)").get())
                .addOption(Option.builder().longOpt("lock-timeout").hasArg().argName("DURATION")
                        .desc("set, rollback: the server's lock_timeout for the write (default 5s)").get())
                .addOption(Option.builder().longOpt("wait").hasArg().argName("DURATION")
                        .desc("set, rollback: how long to wait for the new running value after the write (default 10s)").get());
    }

    @Override
    public int[] arity() {
        return new int[] {2, 100};
    }

    @Override
    public int run(CommandLine line, CommandContext context) throws Exception {
        List<String> args = line.getArgList();
        String action = args.get(0);
        if (!ACTIONS.contains(action)) {
            throw DbtoolException.usage("config: unknown action '" + SafeText.oneLine(action) + "'; expected one of " + String.join(", ", ACTIONS));
        }
        String format = line.getOptionValue("format", "text").toLowerCase(Locale.ROOT);
        if (!List.of("text", "json").contains(format)) {
            throw DbtoolException.usage("--format: expected text or json, got '" + SafeText.oneLine(line.getOptionValue("format")) + "'");
        }
        List<String> rest = args.subList(2, args.size());
        if (action.equals("set") && (rest.size() != 1 || rest.get(0).indexOf('=') <= 0)) {
            throw DbtoolException.usage("config set: expected one NAME=VALUE after the target, e.g. work_mem=64MB");
        }
        if (action.equals("rollback") && rest.size() > 1 || action.equals("history") && !rest.isEmpty()) {
            throw DbtoolException.usage("config " + action + ": expected " + (action.equals("history") ? "only the target" : "the target and at most one parameter"));
        }
        Duration lockTimeout = ChangeCommand.duration(line, "lock-timeout", Duration.ofSeconds(5));
        Duration wait = ChangeCommand.duration(line, "wait", Duration.ofSeconds(10));
        ResolvedTarget resolved = new TargetResolver(context.config(), context.plugins()).resolve(args.get(1));
        if (action.equals("history")) {
            return history(resolved.target().name(), context, format);
        }
        if (!(resolved.plugin() instanceof ServerConfiguration engine)) {
            throw DbtoolException.usage("config: " + resolved.target().name() + " is " + resolved.plugin().displayName()
                    + ", whose plugin offers no configuration support (dbtool.spi.ServerConfiguration)");
        }
        Credentials credentials = ChangeTarget.credentials(resolved, context);
        SessionSettings settings = new SessionSettings("dbtool-config", Duration.ofSeconds(10), Duration.ofSeconds(30), lockTimeout);
        try (ServerConfiguration.Session session = engine.openConfiguration(resolved.target(), credentials, settings, !action.equals("show"))) {
            Write write = new Write(context, resolved, session, AuditTrail.actor(ChangeTarget.connectedAs(resolved, credentials)),
                    line.hasOption("yes"), line.hasOption("allow-restart"), wait);
            return switch (action) {
                case "show" -> show(session, resolved, rest, context, format);
                case "set" -> set(write, rest.get(0));
                default -> rollback(write, rest.isEmpty() ? null : rest.get(0));
            };
        } catch (UsageException e) {
            throw DbtoolException.usage("config " + action + ": " + SafeText.oneLine(e.getMessage()));
        } catch (ConfigurationException e) {
            throw DbtoolException.config("config " + action + ": " + SafeText.oneLine(e.getMessage()));
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            // The server could not be reached or read (connection, authentication, a timeout): one line, nothing written.
            throw new DbtoolException(ExitCodes.CRITICAL, "config " + action + ": " + resolved.target().name() + ": " + SafeText.oneLine(e.getMessage()));
        } finally {
            credentials.release();
        }
    }

    private static int show(ServerConfiguration.Session session, ResolvedTarget resolved, List<String> names, CommandContext context, String format)
            throws Exception {
        List<ServerConfiguration.Parameter> parameters = session.parameters(names);
        for (String name : names) {
            known(session, resolved, name, parameters);
        }
        if (format.equals("json")) {
            JsonArray out = new JsonArray();
            parameters.forEach(p -> out.add(json(p)));
            context.emit(GSON.toJson(out) + "\n");
            return ExitCodes.OK;
        }
        List<List<String>> rows = new ArrayList<>();
        for (ServerConfiguration.Parameter p : parameters) {
            String range = !p.allowed().isEmpty() ? String.join("|", p.allowed())
                    : p.min() == null ? "" : p.min() + ".." + (p.max() == null ? "" : p.max()) + (p.unit() == null ? "" : " " + p.unit());
            rows.add(List.of(p.name(), p.value(), p.source(), p.context() + (p.pendingRestart() ? " (pending restart)" : ""),
                    p.configured() == null ? "" : p.configured(), range));
        }
        StringBuilder text = new StringBuilder(TextTable.format(List.of("PARAMETER", "VALUE", "SOURCE", "CONTEXT", "CONFIGURED", "RANGE"),
                rows, "", context.style(true)));
        if (parameters.size() <= 5) {
            for (ServerConfiguration.Parameter p : parameters) {
                if (p.description() != null) {
                    text.append(p.name()).append(": ").append(SafeText.oneLine(p.description())).append('\n');
                }
            }
        }
        context.emit(text.toString());
        return ExitCodes.OK;
    }

    /** What a write needs besides its parameter: the session, who writes, whether to ask, how long to wait. */
    private record Write(CommandContext context, ResolvedTarget resolved, ServerConfiguration.Session session, String actor, boolean yes,
                         boolean allowRestart, Duration verifyWithin) {

        String target() {
            return resolved.target().name();
        }
    }

    private static int set(Write w, String assignment) throws Exception {
        String name = assignment.substring(0, assignment.indexOf('=')).strip();
        String value = assignment.substring(assignment.indexOf('=') + 1);
        known(w.session(), w.resolved(), name, w.session().parameters(List.of(name)));
        ServerConfiguration.Change change = w.session().plan(name, value, w.allowRestart());
        ServerConfiguration.Parameter before = change.before();
        String what = "set " + before.name() + " on " + w.target() + " from " + before.value() + " to " + change.value() + " (" + change.statement() + ")"
                + (change.restart() ? ", which takes effect only after a restart" : "");
        JsonObject body = new JsonObject();
        body.addProperty("parameter", before.name());
        body.addProperty("from", before.value());
        body.addProperty("previous", before.configured());
        body.addProperty("to", change.value());
        body.addProperty("restart", change.restart());
        body.addProperty("statement", change.statement());
        return write(w, "set", change, what, body);
    }

    private static int rollback(Write w, String name) throws Exception {
        StateStore.ChangeRow last;
        try (StateStore store = AuditTrail.open(w.context())) {
            last = lastSet(store.changes(w.target(), 1000), name).orElseThrow(() -> DbtoolException.usage("config rollback: no 'config set' "
                    + (name == null ? "" : "of " + SafeText.oneLine(name) + " ") + "on " + w.target() + " left to roll back in the state store"));
        }
        JsonObject set = JsonParser.parseString(last.body()).getAsJsonObject();
        String parameter = set.get("parameter").getAsString();
        String previous = text(set.get("previous"));
        String setTo = text(set.get("to"));
        ServerConfiguration.Change change = w.session().plan(parameter, previous,
                w.allowRestart() || set.get("restart").getAsBoolean());
        ServerConfiguration.Parameter before = change.before();
        String drift = Objects.equals(before.configured(), setTo) ? ""
                : "; note: its written configuration now holds " + (before.configured() == null ? "nothing" : before.configured())
                + ", not " + setTo + " as that change wrote";
        String what = (previous == null ? "remove " + parameter + " from the written configuration of " + w.target() + ", back to its default"
                : "restore " + parameter + " on " + w.target() + " to " + previous) + ", as before the config set of " + last.startedAt() + " by "
                + last.actor() + " (" + change.statement() + ")" + drift;
        JsonObject body = new JsonObject();
        body.addProperty("parameter", parameter);
        body.addProperty("of", last.id());
        body.addProperty("from", before.value());
        body.addProperty("previous", before.configured());
        body.addProperty("to", previous);
        body.addProperty("restart", change.restart());
        body.addProperty("statement", change.statement());
        return write(w, "rollback", change, what, body);
    }

    /** Asks, audits, applies and reads back: the one path of every configuration write. */
    private static int write(Write w, String action, ServerConfiguration.Change change, String what, JsonObject body) {
        CommandContext context = w.context();
        Confirmation.ask(context, w.yes(), "config " + action, what);
        try (StateStore store = AuditTrail.open(context)) {
            String id = UUID.randomUUID().toString();
            Instant started = Instant.now();
            AuditTrail.save(context, store, new StateStore.ChangeRow(id, w.target(), "config " + action, w.actor(), started, null, "running",
                    body.toString()));
            ServerConfiguration.Outcome outcome;
            try {
                outcome = w.session().apply(change, w.verifyWithin());
            } catch (UsageException e) {
                // The server refused the value itself (MongoDB checks some ranges only when it is set): nothing changed.
                body.addProperty("message", SafeText.oneLine(e.getMessage()));
                AuditTrail.save(context, store, new StateStore.ChangeRow(id, w.target(), "config " + action, w.actor(), started, Instant.now(),
                        "refused", body.toString()));
                throw DbtoolException.usage("config " + action + ": " + SafeText.oneLine(e.getMessage()));
            } catch (Exception e) {
                body.addProperty("message", SafeText.oneLine(e.getMessage()));
                AuditTrail.save(context, store, new StateStore.ChangeRow(id, w.target(), "config " + action, w.actor(), started, Instant.now(),
                        "failed", body.toString()));
                context.err().println("dbtool: config " + action + ": " + SafeText.oneLine(w.target()) + ": " + SafeText.oneLine(e.getMessage()));
                return ExitCodes.CRITICAL;
            }
            ServerConfiguration.Parameter after = outcome.after();
            String result = action.equals("rollback") ? "rolled back" : outcome.running() ? "applied"
                    : after.pendingRestart() ? "pending restart" : "unverified";
            body.addProperty("running", after.value());
            body.addProperty("pendingRestart", after.pendingRestart());
            AuditTrail.save(context, store, new StateStore.ChangeRow(id, w.target(), "config " + action, w.actor(), started, Instant.now(), result,
                    body.toString()));
            String name = SafeText.oneLine(after.name()) + " on " + SafeText.oneLine(w.target());
            if (outcome.running()) {
                context.out().println("config " + action + ": " + name + " is now " + SafeText.oneLine(after.value()) + ", read back from the server"
                        + (after.pendingRestart() ? "; another written value is still pending a restart" : ""));
                return ExitCodes.OK;
            }
            if (after.pendingRestart()) {
                context.out().println("config " + action + ": " + name + " written; it runs with " + SafeText.oneLine(after.value())
                        + " until the server restarts (pending restart)");
                return ExitCodes.OK;
            }
            context.err().println("config " + action + ": " + name + " written, but its running value is still " + SafeText.oneLine(after.value())
                    + " after " + w.verifyWithin().toMillis() + " ms (context " + after.context() + (after.context().contains("backend")
                    ? ": only sessions that start from now get it)" : ")"));
            return ExitCodes.WARNING;
        }
    }

    /** The newest 'config set' (of {@code name}, when given) that no 'config rollback' has undone. */
    static Optional<StateStore.ChangeRow> lastSet(List<StateStore.ChangeRow> newestFirst, String name) {
        Set<String> undone = new HashSet<>();
        for (StateStore.ChangeRow row : newestFirst) {
            JsonObject body = JsonParser.parseString(row.body()).getAsJsonObject();
            if (row.action().equals("config rollback") && row.result().equals("rolled back")) {
                undone.add(body.get("of").getAsString());
            } else if (row.action().equals("config set") && List.of("applied", "pending restart", "unverified").contains(row.result())
                    && !undone.contains(row.id()) && (name == null || body.get("parameter").getAsString().equalsIgnoreCase(name.strip()))) {
                return Optional.of(row);
            }
        }
        return Optional.empty();
    }

    private static int history(String target, CommandContext context, String format) {
        List<StateStore.ChangeRow> rows;
        try (StateStore store = AuditTrail.open(context)) {
            rows = store.changes(target, 200).stream().filter(r -> r.action().startsWith("config ")).toList();
        }
        if (format.equals("json")) {
            JsonArray out = new JsonArray();
            rows.forEach(r -> out.add(AuditTrail.json(r)));
            context.emit(GSON.toJson(out) + "\n");
            return ExitCodes.OK;
        }
        StringBuilder text = new StringBuilder("configuration changes of " + SafeText.oneLine(target) + " (state store), newest first:\n");
        if (rows.isEmpty()) {
            text.append("  none\n");
        }
        for (StateStore.ChangeRow r : rows) {
            JsonObject body = JsonParser.parseString(r.body()).getAsJsonObject();
            text.append(String.format(Locale.ROOT, "  %s %-15s %-15s %s: %s -> %s by %s%n", r.startedAt(), r.action(), r.result(),
                    SafeText.oneLine(body.get("parameter").getAsString()), SafeText.oneLine(String.valueOf(text(body.get("from")))),
                    SafeText.oneLine(String.valueOf(Optional.ofNullable(text(body.get("to"))).orElse("(default)"))), SafeText.oneLine(r.actor())));
        }
        context.emit(text.toString());
        return ExitCodes.OK;
    }

    /** A name the server does not know is a usage error naming the closest one it does. */
    private static void known(ServerConfiguration.Session session, ResolvedTarget resolved, String name,
                              List<ServerConfiguration.Parameter> found) throws Exception {
        if (found.stream().anyMatch(p -> p.name().equalsIgnoreCase(name.strip()))) {
            return;
        }
        List<String> all = session.parameters(List.of()).stream().map(ServerConfiguration.Parameter::name).toList();
        throw DbtoolException.usage("config: " + resolved.target().name() + " has no parameter '" + SafeText.oneLine(name) + "'"
                + Suggestions.didYouMean(name.strip(), all));
    }

    private static JsonObject json(ServerConfiguration.Parameter p) {
        JsonObject o = new JsonObject();
        o.addProperty("name", p.name());
        o.addProperty("value", p.value());
        o.addProperty("unit", p.unit());
        o.addProperty("type", p.type());
        o.addProperty("source", p.source());
        o.addProperty("context", p.context());
        o.addProperty("pendingRestart", p.pendingRestart());
        o.addProperty("min", p.min());
        o.addProperty("max", p.max());
        JsonArray allowed = new JsonArray();
        p.allowed().forEach(allowed::add);
        o.add("allowed", allowed);
        o.addProperty("configured", p.configured());
        o.addProperty("description", p.description());
        return o;
    }

    private static String text(JsonElement element) {
        return element == null || element instanceof JsonNull ? null : element.getAsString();
    }
}
