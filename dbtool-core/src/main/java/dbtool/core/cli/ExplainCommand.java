package dbtool.core.cli;

import dbtool.core.DbtoolException;
import dbtool.core.ExitCodes;
import dbtool.core.report.MarkdownText;
import dbtool.core.report.Playbooks;
import dbtool.core.report.Style;
import dbtool.core.report.TextTable;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

/** {@code dbtool explain CODE}: the playbook of a finding code, from the pages shipped with dbtool. */
final class ExplainCommand implements Command {

    private static final Pattern CODE_SHAPED = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,80}");

    @Override
    public String name() {
        return "explain";
    }

    @Override
    public String synopsis() {
        return "[CODE]";
    }

    @Override
    public String summary() {
        return "print the playbook of a finding code (what it means, how to confirm, what to do)";
    }

    @Override
    public String description() {
        return """
                Prints the playbook for a finding code such as PG_BLOCKING_CHAIN: what it means, how to \
                confirm it by hand, what to do and what not to do, and the thresholds involved. The pages \
                ship inside dbtool, so this works without a network; they are the same pages as \
                docs/playbooks/ on the documentation site, where each finding's 'Playbook:' link points. \
                Without CODE, lists every code and its page. The code's case does not matter. An unknown \
                code is a usage error (exit 64) that names the closest codes.""";
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
        Playbooks playbooks = Playbooks.bundled();
        Style style = context.style(line.hasOption("no-color"));
        if (line.getArgList().isEmpty()) {
            List<List<String>> rows = new ArrayList<>();
            playbooks.codes().forEach(code -> playbooks.find(code)
                    .ifPresent(entry -> rows.add(List.of(code, entry.link()))));
            context.emit(TextTable.format(List.of("CODE", "PLAYBOOK"), rows, "", style));
            return ExitCodes.OK;
        }
        String typed = line.getArgList().getFirst();
        Playbooks.Entry entry = playbooks.find(typed).orElseThrow(() -> unknown(typed, playbooks));
        context.emit(MarkdownText.render(playbooks.text(entry), style)
                + System.lineSeparator() + style.dim("Playbook: " + entry.link()) + System.lineSeparator());
        return ExitCodes.OK;
    }

    /** One line: what was typed (only when it looks like a code: nothing pasted by mistake is echoed), and the closest codes. */
    private static DbtoolException unknown(String typed, Playbooks playbooks) {
        List<String> close = CODE_SHAPED.matcher(typed).matches() ? playbooks.closeTo(typed) : List.of();
        String named = CODE_SHAPED.matcher(typed).matches() ? " '" + typed + "'" : "";
        return DbtoolException.usage("explain: no playbook for the code" + named
                + (close.isEmpty() ? "" : "; close: " + String.join(", ", close))
                + "; 'dbtool explain' lists every code");
    }
}
