package dbtool.core.cli;

import dbtool.core.ExitCodes;
import dbtool.core.config.Config;
import dbtool.core.config.TargetConfig;
import dbtool.core.report.TextTable;
import dbtool.core.run.TargetUrls;
import dbtool.spi.Redaction;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

/** {@code dbtool targets}: the configured targets. */
final class TargetsCommand implements Command {

    @Override
    public String name() {
        return "targets";
    }

    @Override
    public String synopsis() {
        return "";
    }

    @Override
    public String summary() {
        return "list the targets of the configuration file";
    }

    @Override
    public Options options() {
        return new Options().addOption(Option.builder().longOpt("no-color").desc("no colours").get());
    }

    @Override
    public int run(CommandLine line, CommandContext context) {
        Config config = context.config();
        if (config.targets().isEmpty()) {
            context.out().println("No targets configured" + (config.source() == null
                    ? " (no configuration file at " + context.environment().configFile() + ")."
                    : " in " + config.source() + ".")
                    + " Add them under \"targets\", e.g. {\"targets\": {\"orders\": {\"url\": \"postgresql://db1:5432/orders\"}}}.");
            return ExitCodes.OK;
        }
        List<List<String>> rows = new ArrayList<>();
        for (TargetConfig target : config.targets().values()) {
            String url = Redaction.redact(target.url());
            String scheme = url.contains("://") ? url.substring(0, url.indexOf("://")) : "?";
            rows.add(List.of(target.name(), scheme, url, target.auth().getOrDefault("method", "default chain"),
                    String.join(",", target.tags())));
        }
        context.emit(TextTable.format(List.of("TARGET", "SCHEME", "URL", "AUTH", "TAGS"), rows, "",
                context.style(line.hasOption("no-color"))));
        context.out().println();
        context.out().println("from " + config.source());
        return ExitCodes.OK;
    }
}
