package dbtool.logs;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dbtool.core.Environment;
import dbtool.core.cli.CommandContext;
import dbtool.core.cli.CommandLineInterface;
import dbtool.core.plugin.LoadedPlugin;
import dbtool.core.plugin.PluginDirectory;
import dbtool.core.plugin.PluginRegistry;
import dbtool.spi.EnginePlugin;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Runs {@code dbtool logs ...} through core's command line, as a user would, and keeps what it printed. */
record LogsRun(int exitCode, String out, String err) {

    static LogsRun run(Path home, String... args) {
        return command(home, null, "logs", args);
    }

    /** Runs any dbtool command with these engines installed, as if their plugin folders were there. */
    static LogsRun command(Path home, List<EnginePlugin> engines, String command, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Environment environment = new Environment(Map.of("DBTOOL_CONFIG", home.resolve("none.json").toString(),
                "DBTOOL_PLUGIN_PATH", home.toString()), home, "Linux", null);
        List<String> argv = new ArrayList<>(List.of(command));
        argv.addAll(List.of(args));
        try (CommandContext context = new CommandContext(environment, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), false)) {
            if (engines != null) {
                PluginDirectory directory = new PluginDirectory("engines", home, "bundle", Optional.empty());
                context.withPlugins(PluginRegistry.ofLoaded(List.of(new LoadedPlugin(directory, List.of("engines"), engines, List.of(),
                        List.of(), List.of(), List.of(), Optional.empty()))));
            }
            int code = CommandLineInterface.standard().execute(argv, context);
            return new LogsRun(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        }
    }

    JsonObject json() {
        return JsonParser.parseString(out).getAsJsonObject();
    }

    /** The finding with this code in the report, or null. */
    JsonObject finding(String code) {
        for (var check : json().getAsJsonArray("checks")) {
            for (var finding : check.getAsJsonObject().getAsJsonArray("findings")) {
                if (finding.getAsJsonObject().get("code").getAsString().equals(code)) {
                    return finding.getAsJsonObject();
                }
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return "exit " + exitCode + "\n--- stdout\n" + out + "\n--- stderr\n" + err;
    }
}
