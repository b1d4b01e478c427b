package dbtool.top;

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
import org.jline.terminal.Terminal;

/** Runs {@code dbtool top ...} through core's command line with the real PostgreSQL plugin, and keeps what it printed. */
record TopRun(int exitCode, String out, String err) {

    static TopRun run(Path home, boolean terminal, Terminal shellTerminal, String... args) {
        return run(postgres(home), home, terminal, shellTerminal, args);
    }

    /** The same with another engine's plugin, e.g. {@code plugin(home, "sqlserver", "dbtool.plugin.mssql", new SqlServerPlugin())}. */
    static TopRun run(PluginRegistry plugins, Path home, boolean terminal, Terminal shellTerminal, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Environment environment = new Environment(Map.of("DBTOOL_CONFIG", home.resolve("none.json").toString()), home, "Linux", null);
        List<String> argv = new ArrayList<>(List.of("top"));
        argv.addAll(List.of(args));
        try (CommandContext context = new CommandContext(environment, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), terminal)) {
            context.withPlugins(plugins);
            if (shellTerminal != null) {
                context.useShellTerminal(shellTerminal);
            }
            int code = CommandLineInterface.standard().execute(argv, context);
            return new TopRun(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        }
    }

    private static PluginRegistry postgres(Path home) {
        return plugin(home, "postgresql", "dbtool.plugin.postgres", new PostgresPlugin());
    }

    static PluginRegistry plugin(Path home, String folder, String module, EnginePlugin plugin) {
        PluginDirectory directory = new PluginDirectory(folder, home, "test", Optional.empty());
        return PluginRegistry.ofLoaded(List.of(new LoadedPlugin(directory, List.of(module), List.of(plugin),
                List.of(), List.of(), List.of(), List.of(), Optional.empty())));
    }

    @Override
    public String toString() {
        return "exit " + exitCode + "\n--- stdout\n" + out + "\n--- stderr\n" + err;
    }
}
