package dbtool.core.cli;

import dbtool.core.DbtoolException;
import dbtool.core.ExitCodes;
import dbtool.core.plugin.LoadedPlugin;
import dbtool.core.report.Style;
import dbtool.core.report.TextTable;
import dbtool.spi.CredentialProvider;
import dbtool.spi.EnginePlugin;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

/** {@code dbtool plugins}: what is installed, and why a plugin that failed to load failed. */
final class PluginsCommand implements Command {

    @Override
    public String name() {
        return "plugins";
    }

    @Override
    public String synopsis() {
        return "[new NAME [--directory DIR] [--package PKG] [--port N]]";
    }

    @Override
    public String summary() {
        return "list installed plugins, where they were found, and why any failed to load";
    }

    @Override
    public String description() {
        return """
                Plugins are folders of jars: plugins/<id>/ in the bundle, plugins/<id>/ in the configuration
                directory, and the folders named in DBTOOL_PLUGIN_PATH (searched first). Each is loaded into
                its own module layer, so plugins may carry conflicting library versions. A plugin that fails
                to load is listed with its reason and the others keep working.

                'dbtool plugins new NAME' starts a plugin of your own: a Maven project (Maven 3.8 or newer,
                JDK 25) for an engine NAME that handles NAME:// URLs, with one check, a test that runs it
                through dbtool's runner, and a build that leaves the plugin folder in target/plugin/NAME/.
                It is written to ./dbtool-NAME-plugin unless --directory says otherwise, and never over an
                existing folder. docs/plugins.md explains the rest.
                """;
    }

    @Override
    public int[] arity() {
        return new int[] {0, 2};
    }

    @Override
    public Options options() {
        return new Options().addOption(Option.builder().longOpt("no-color").desc("no colours").get())
                .addOption(Option.builder().longOpt("directory").hasArg().argName("DIR")
                        .desc("new: the project folder to create (default: ./dbtool-NAME-plugin)").get())
                .addOption(Option.builder().longOpt("package").hasArg().argName("PKG")
                        .desc("new: the Java package and module name (default: com.example.dbtool.NAME)").get())
                .addOption(Option.builder().longOpt("port").hasArg().argName("N")
                        .desc("new: the engine's default port (default: 7000)").get());
    }

    @Override
    public int run(CommandLine line, CommandContext context) {
        List<String> args = line.getArgList();
        if (!args.isEmpty()) {
            return scaffold(line, args, context);
        }
        for (String option : List.of("directory", "package", "port")) {
            if (line.hasOption(option)) {
                throw DbtoolException.usage("plugins: --" + option + " belongs to 'dbtool plugins new NAME'");
            }
        }
        List<LoadedPlugin> plugins = context.plugins().loadAll();
        if (plugins.isEmpty()) {
            context.out().println("No plugins found. Searched DBTOOL_PLUGIN_PATH, "
                    + context.environment().configDir().resolve("plugins")
                    + (context.environment().bundleHome() == null ? "" : " and " + context.environment().bundleHome().resolve("plugins")) + ".");
            return ExitCodes.OK;
        }
        Style style = context.style(line.hasOption("no-color"));
        List<List<String>> rows = new ArrayList<>();
        for (LoadedPlugin plugin : plugins) {
            String provides;
            String detail;
            if (plugin.ok()) {
                List<String> parts = new ArrayList<>();
                for (EnginePlugin engine : plugin.engines()) {
                    parts.add(engine.id() + " (" + String.join(", ", engine.schemes().stream().sorted().map(s -> s + "://").toList())
                            + "; " + engine.checks().size() + (engine.checks().size() == 1 ? " check)" : " checks)"));
                }
                for (CredentialProvider provider : plugin.credentials()) {
                    parts.add("auth: " + provider.method());
                }
                provides = String.join("; ", parts);
                detail = "ok";
            } else {
                provides = "-";
                detail = "FAILED";
            }
            rows.add(List.of(plugin.directory().id(), detail, provides, plugin.directory().origin()));
        }
        context.emit(TextTable.format(List.of("PLUGIN", "STATUS", "PROVIDES", "FROM"), rows, "", style));
        boolean failures = false;
        for (LoadedPlugin plugin : plugins) {
            if (!plugin.ok()) {
                if (!failures) {
                    context.out().println();
                    failures = true;
                }
                context.out().println("plugin " + plugin.directory().id() + " (" + plugin.directory().path() + ") failed to load: "
                        + plugin.failure().orElse("unknown reason"));
            }
        }
        return ExitCodes.OK;
    }

    private static int scaffold(CommandLine line, List<String> args, CommandContext context) {
        if (!args.getFirst().equals("new") || args.size() != 2) {
            throw DbtoolException.usage("plugins: expected no arguments, or 'new NAME' to start a plugin project");
        }
        String name = args.get(1);
        int port;
        try {
            port = Integer.parseInt(line.getOptionValue("port", "7000"));
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 1 || port > 65535) {
            throw DbtoolException.usage("plugins new: --port must be a whole number from 1 to 65535");
        }
        PluginScaffold scaffold = new PluginScaffold(name, line.getOptionValue("package", PluginScaffold.defaultPackage(name)), port);
        Path directory = Path.of(line.getOptionValue("directory", "dbtool-" + name + "-plugin"));
        scaffold.write(directory);
        Path written = directory.toAbsolutePath().normalize();
        context.out().println("Created " + written + ": a dbtool plugin for " + name + ":// URLs.");
        context.out().println("Next:  cd " + written + " && mvn verify");
        context.out().println("Then:  DBTOOL_PLUGIN_PATH=" + written.resolve("target").resolve("plugin") + " dbtool plugins");
        return ExitCodes.OK;
    }
}
