package dbtool.core.cli;

import dbtool.core.ExitCodes;
import dbtool.core.report.Style;
import dbtool.core.report.TextTable;
import dbtool.core.run.CheckSelection;
import dbtool.spi.Check;
import dbtool.spi.EnginePlugin;
import dbtool.spi.Threshold;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
        String listing = listing(engines, context.style(line.hasOption("no-color")));
        if (listing.startsWith("No ")) {
            context.out().print(listing);
        } else {
            context.emit(listing);
        }
        return ExitCodes.OK;
    }

    /**
     * The checks, then the thresholds they declare (set in the configuration's
     * {@code defaults.thresholds} or a target's {@code thresholds}); a threshold several checks
     * read is one row naming them all. Cells are escaped by {@link TextTable}.
     */
    static String listing(List<EnginePlugin> engines, Style style) {
        List<List<String>> rows = new ArrayList<>();
        Map<String, List<String>> thresholds = new LinkedHashMap<>();
        Map<String, Threshold> declared = new LinkedHashMap<>();
        for (EnginePlugin engine : engines) {
            for (Check check : CheckSelection.select(engine.checks(), null, engine.id())) {
                rows.add(List.of(engine.id(), check.id(), check.category(), check.description()));
                for (Threshold threshold : check.thresholds()) {
                    String key = engine.id() + " " + threshold.name();
                    declared.putIfAbsent(key, threshold);
                    thresholds.computeIfAbsent(key, k -> new ArrayList<>()).add(check.id());
                }
            }
        }
        if (rows.isEmpty()) {
            return (engines.isEmpty() ? "No engine plugins are installed; see 'dbtool plugins'."
                    : "No checks yet for " + String.join(", ", engines.stream().map(EnginePlugin::id).toList()) + ".")
                    + System.lineSeparator();
        }
        String listing = TextTable.format(List.of("ENGINE", "CHECK", "CATEGORY", "WHAT IT LOOKS AT"), rows, "", style);
        if (thresholds.isEmpty()) {
            return listing;
        }
        List<List<String>> thresholdRows = new ArrayList<>();
        declared.forEach((key, threshold) -> thresholdRows.add(List.of(key.substring(0, key.indexOf(' ')), threshold.name(),
                threshold.defaultText(), threshold.unit(), String.join(", ", thresholds.get(key)), threshold.meaning())));
        return listing + "\n" + TextTable.format(List.of("ENGINE", "THRESHOLD", "DEFAULT", "UNIT", "CHECKS", "MEANING"),
                thresholdRows, "", style);
    }
}
