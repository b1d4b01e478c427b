package dbtool.core.cli;

import dbtool.core.ExitCodes;
import dbtool.core.report.TextTable;
import dbtool.core.run.CheckSelection;
import dbtool.spi.Check;
import dbtool.spi.EnginePlugin;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

/** {@code dbtool checks [ENGINE]}. */
final class ChecksCommand implements Command {

    @Override
    public String name() {
        return "checks";
    }

    @Override
    public String synopsis() {
        return "[ENGINE]";
    }

    @Override
    public String summary() {
        return "list the checks of one engine or of all installed engines";
    }

    @Override
    public Options options() {
        return new Options().addOption(Option.builder().longOpt("no-color").desc("no colours").get());
    }

    @Override
    public int[] arity() {
        return new int[] {0, 1};
    }

    @Override
    public int run(CommandLine line, CommandContext context) {
        List<EnginePlugin> engines = new ArrayList<>();
        if (line.getArgList().isEmpty()) {
            context.plugins().loadAll().forEach(p -> engines.addAll(p.engines()));
        } else {
            engines.add(context.plugins().requireEngine(line.getArgList().getFirst()));
        }
        List<List<String>> rows = new ArrayList<>();
        for (EnginePlugin engine : engines) {
            for (Check check : CheckSelection.select(engine.checks(), null, engine.id())) {
                rows.add(List.of(engine.id(), check.id(), check.category(), check.description()));
            }
        }
        if (rows.isEmpty()) {
            context.out().println(engines.isEmpty() ? "No engine plugins are installed; see 'dbtool plugins'."
                    : "No checks yet for " + String.join(", ", engines.stream().map(EnginePlugin::id).toList()) + ".");
            return ExitCodes.OK;
        }
        context.emit(TextTable.format(List.of("ENGINE", "CHECK", "CATEGORY", "WHAT IT LOOKS AT"), rows, "",
                context.style(line.hasOption("no-color"))));
        return ExitCodes.OK;
    }
}
