package dbtool.core.shell;

import dbtool.core.cli.Command;
import dbtool.core.cli.CommandContext;
import dbtool.core.cli.CommandLineInterface;
import dbtool.core.config.TargetConfig;
import dbtool.core.report.Playbooks;
import dbtool.core.run.CheckSelection;
import dbtool.core.run.TargetUrls;
import dbtool.spi.EnginePlugin;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.commons.cli.Option;
import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;

/**
 * Tab completion for the shell: command names, then per command its flags, configured target
 * names, engine ids, finding codes after {@code explain}, and after {@code --check} the check ids and categories
 * of the target's engine.
 */
final class ShellCompleter implements Completer {

    private final CommandLineInterface cli;
    private final CommandContext context;

    ShellCompleter(CommandLineInterface cli, CommandContext context) {
        this.cli = cli;
        this.context = context;
    }

    @Override
    public void complete(LineReader reader, ParsedLine line, List<Candidate> candidates) {
        candidates(line.words(), line.wordIndex()).forEach(value -> candidates.add(new Candidate(value)));
    }

    /** The words that may stand at {@code index}; visible for tests. */
    List<String> candidates(List<String> words, int index) {
        List<String> result = new ArrayList<>();
        if (index == 0) {
            result.addAll(cli.commands().keySet());
            result.add("exit");
            return result;
        }
        Command command = cli.commands().get(words.getFirst());
        if (command == null) {
            return result;
        }
        String previous = words.get(index - 1);
        String current = index < words.size() ? words.get(index) : "";
        Optional<Option> valueFor = option(command, previous).filter(Option::hasArg);
        if (valueFor.isPresent()) {
            switch (valueFor.get().getLongOpt()) {
                case "check" -> result.addAll(checkNames(words));
                case "format" -> result.addAll(List.of("text", "json"));
                case "engine" -> result.addAll(safe(() -> context.plugins().engineIds()));
                case "method" -> result.addAll(safe(() -> context.plugins().loginHandlers().stream()
                        .flatMap(h -> h.methods().stream()).distinct().toList()));
                default -> {
                }
            }
            return result;
        }
        if (current.startsWith("-")) {
            command.options().getOptions().stream().filter(o -> o.getLongOpt() != null)
                    .forEach(o -> result.add("--" + o.getLongOpt()));
            result.add("--help");
            return result;
        }
        switch (command.name()) {
            case "troubleshoot" -> result.addAll(safe(() -> List.copyOf(context.config().targets().keySet())));
            case "checks", "grants" -> result.addAll(safe(() -> context.plugins().engineIds()));
            case "help" -> result.addAll(cli.commands().keySet());
            case "explain" -> result.addAll(safe(() -> List.copyOf(Playbooks.bundled().codes())));
            case "auth" -> {
                if (index == 1) {
                    result.addAll(List.of("status", "login", "logout"));
                }
            }
            default -> {
            }
        }
        return result;
    }

    private static Optional<Option> option(Command command, String word) {
        if (word.startsWith("--")) {
            return Optional.ofNullable(command.options().getOption(word.substring(2)));
        }
        if (word.startsWith("-") && word.length() == 2) {
            return Optional.ofNullable(command.options().getOption(word.substring(1)));
        }
        return Optional.empty();
    }

    /** Check ids of the engine of the troubleshoot's target, or of every engine when unknown. */
    private List<String> checkNames(List<String> words) {
        return safe(() -> {
            for (String word : words.subList(1, words.size())) {
                if (word.startsWith("-")) {
                    continue;
                }
                String url = TargetUrls.isUrl(word) ? word
                        : context.config().target(word).map(TargetConfig::url).orElse(null);
                if (url != null && url.contains("://")) {
                    String scheme = url.substring(0, url.indexOf("://"));
                    Optional<EnginePlugin> engine = context.plugins().engineForScheme(scheme);
                    if (engine.isPresent()) {
                        return CheckSelection.names(engine.get().checks());
                    }
                }
            }
            List<String> names = new ArrayList<>();
            context.plugins().loadAll().forEach(p -> p.engines().forEach(e -> names.addAll(CheckSelection.names(e.checks()))));
            return names.stream().distinct().sorted().toList();
        });
    }

    /** Completion must never break the prompt: a bad configuration simply completes nothing. */
    private static List<String> safe(Supplier<List<String>> supplier) {
        try {
            return supplier.get();
        } catch (RuntimeException e) {
            return List.of();
        }
    }
}
