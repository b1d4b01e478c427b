package dbtool.monitoring;

import dbtool.core.Environment;
import dbtool.core.cli.CommandContext;
import dbtool.core.cli.CommandLineInterface;
import dbtool.core.plugin.LoadedPlugin;
import dbtool.core.plugin.PluginRegistry;
import dbtool.testkit.RepositoryFiles;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Runs {@code dbtool ...} through core's command line, as a user would, and keeps what it printed. */
public record MonitoringRun(int exitCode, String out, String err) {

    public static MonitoringRun run(Path home, Map<String, String> variables, String... args) {
        return run(home, variables, null, args);
    }

    /** Runs with these plugins installed (engines, credential providers), as if their folders were there. */
    public static MonitoringRun run(Path home, Map<String, String> variables, List<LoadedPlugin> plugins, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Map<String, String> env = new HashMap<>(variables);
        env.putIfAbsent("DBTOOL_CONFIG", home.resolve("none.json").toString());
        env.putIfAbsent("DBTOOL_PLUGIN_PATH", home.toString());
        Environment environment = new Environment(env, home, "Linux", null);
        try (CommandContext context = new CommandContext(environment, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), false)) {
            if (plugins != null) {
                context.withPlugins(PluginRegistry.ofLoaded(plugins));
            }
            int code = CommandLineInterface.standard().execute(new ArrayList<>(List.of(args)), context);
            return new MonitoringRun(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        }
    }

    /** The repository's root (where mkdocs.yml is). */
    public static Path repository() {
        return RepositoryFiles.root();
    }

    @Override
    public String toString() {
        return "exit " + exitCode + "\n--- stdout\n" + out + "\n--- stderr\n" + err;
    }
}
