package dbtool.serve;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dbtool.core.Environment;
import dbtool.core.cli.CommandContext;
import dbtool.core.cli.CommandLineInterface;
import dbtool.core.plugin.LoadedPlugin;
import dbtool.core.plugin.PluginDirectory;
import dbtool.core.plugin.PluginRegistry;
import dbtool.plugin.postgres.PostgresPlugin;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs a dbtool command through core's command line, as a user would, with the real PostgreSQL plugin
 * (tests run on the class path, where plugin layers cannot be built) and keeps what it printed.
 */
public record ServeRun(int exitCode, String out, String err) {

    /** A context whose configuration file is {@code home/config.json} and data dir is under {@code home}. */
    public static CommandContext context(Path home, ByteArrayOutputStream out, ByteArrayOutputStream err) {
        Map<String, String> variables = new HashMap<>();
        variables.put("DBTOOL_CONFIG", home.resolve("config.json").toString());
        variables.put("XDG_DATA_HOME", home.resolve("data").toString());
        variables.put("DBTOOL_PLUGIN_PATH", home.toString());
        Environment environment = new Environment(variables, home, "Linux", null);
        CommandContext context = new CommandContext(environment, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), false);
        PluginDirectory directory = new PluginDirectory("postgresql", home, "bundle", Optional.empty());
        return context.withPlugins(PluginRegistry.ofLoaded(List.of(new LoadedPlugin(directory, List.of("dbtool.plugin.postgres"),
                List.of(new PostgresPlugin()), List.of(), List.of(), List.of(), List.of(), Optional.empty()))));
    }

    public static ServeRun run(Path home, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (CommandContext context = context(home, out, err)) {
            int code = CommandLineInterface.standard().execute(List.of(args), context);
            return new ServeRun(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        }
    }

    public JsonObject json() {
        return JsonParser.parseString(out).getAsJsonObject();
    }

    @Override
    public String toString() {
        return "exit " + exitCode + "\n--- stdout\n" + out + "\n--- stderr\n" + err;
    }

    /** The session ids every lock finding of a report names as head blockers (the contract's evidence field). */
    public static List<Integer> headBlockers(JsonObject report) {
        List<Integer> pids = new ArrayList<>();
        for (JsonElement check : report.getAsJsonArray("checks")) {
            for (JsonElement finding : check.getAsJsonObject().getAsJsonArray("findings")) {
                JsonElement evidence = finding.getAsJsonObject().get("evidence");
                if (evidence != null && evidence.isJsonObject() && evidence.getAsJsonObject().has("headBlockers")) {
                    JsonArray heads = evidence.getAsJsonObject().getAsJsonArray("headBlockers");
                    heads.forEach(h -> pids.add(h.getAsInt()));
                }
            }
        }
        return pids;
    }
}
