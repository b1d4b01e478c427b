package dbtool.core.cli;

import dbtool.core.ExitCodes;
import dbtool.core.plugin.LoadedPlugin;
import dbtool.core.report.Style;
import dbtool.core.report.TextTable;
import dbtool.spi.CredentialProvider;
import dbtool.spi.EnginePlugin;
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
        return "";
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
                """;
    }

    @Override
    public Options options() {
        return new Options().addOption(Option.builder().longOpt("no-color").desc("no colours").get());
    }

    @Override
    public int run(CommandLine line, CommandContext context) {
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
}
