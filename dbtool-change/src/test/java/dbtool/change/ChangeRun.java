package dbtool.change;

import dbtool.core.Environment;
import dbtool.core.cli.CommandContext;
import dbtool.core.cli.CommandLineInterface;
import dbtool.core.plugin.LoadedPlugin;
import dbtool.core.plugin.PluginDirectory;
import dbtool.core.plugin.PluginRegistry;
import dbtool.plugin.postgres.PostgresPlugin;
import dbtool.spi.EnginePlugin;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Runs {@code dbtool change ...} or {@code dbtool config ...} through core's command line with the real PostgreSQL plugin, and keeps what it printed. */
record ChangeRun(int exitCode, String out, String err, String log) {

    /** {@code home} holds config.json (targets, the state store) and is the data directory. */
    static ChangeRun run(Path home, String... args) {
        return command(home, "change", args);
    }

    /** {@code dbtool config ...}, the same way. */
    static ChangeRun config(Path home, String... args) {
        return command(home, "config", args);
    }

    private static ChangeRun command(Path home, String command, String... args) {
        List<String> argv = new ArrayList<>(List.of(command));
        argv.addAll(List.of(args));
        return dbtool(home, List.of(new PostgresPlugin()), argv);
    }

    /** {@code dbtool ARGV...} with these engine plugins installed. */
    static ChangeRun dbtool(Path home, List<EnginePlugin> plugins, List<String> argv) {
        return dbtool(home, plugins, argv, null);
    }

    /** The same, as if run from the bundle at {@code bundleHome} (its {@code change/sqlserver/} folder), or null. */
    static ChangeRun dbtool(Path home, List<EnginePlugin> plugins, List<String> argv, Path bundleHome) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Path log = home.resolve("run.log");
        Environment environment = new Environment(Map.of("DBTOOL_CONFIG", home.resolve("config.json").toString(),
                "XDG_DATA_HOME", home.resolve("data").toString(), "DBTOOL_LOG", log.toString()), home, "Linux", bundleHome);
        int code;
        try (CommandContext context = new CommandContext(environment, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), false)) {
            PluginDirectory directory = new PluginDirectory("postgresql", home, "test", Optional.empty());
            context.withPlugins(PluginRegistry.ofLoaded(List.of(new LoadedPlugin(directory, List.of("dbtool.plugin.postgres"),
                    plugins, List.of(), List.of(), List.of(), List.of(), Optional.empty()))));
            code = CommandLineInterface.standard().execute(argv, context);
        }
        String logText;
        try {
            logText = java.nio.file.Files.exists(log) ? java.nio.file.Files.readString(log) : "";
        } catch (java.io.IOException e) {
            logText = "";
        }
        return new ChangeRun(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8), logText);
    }

    @Override
    public String toString() {
        return "exit " + exitCode + "\n--- stdout\n" + out + "\n--- stderr\n" + err;
    }
}
