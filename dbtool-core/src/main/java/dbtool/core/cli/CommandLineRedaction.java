package dbtool.core.cli;

import dbtool.core.run.Suggestions;
import dbtool.core.run.TargetUrls;
import dbtool.spi.Redaction;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

/**
 * The one policy for what of a command line may be shown: in the run log, in error messages on
 * stderr and in the shell history. It reads the words as the command's parser will (which option
 * takes a value, which words are arguments) and hides:
 * <ul>
 * <li>the value of an option that names or holds a secret ({@code --password-env}: it should name a
 * variable, but a user in a hurry types the password itself there);</li>
 * <li>the value of an unknown option ({@code --pasword-env=X}, {@code --password X}): a mistyped
 * secret option is still a secret option;</li>
 * <li>arguments the command does not take (a token pasted in the wrong place), an unknown command
 * or auth action that is not a near miss of a real one;</li>
 * <li>whatever {@link Redaction} hides in any word: the password and secret parameters of a URL,
 * also of a near miss of one ({@code u:pw@host/db}, {@code host=h password=pw}).</li>
 * </ul>
 */
public final class CommandLineRedaction {

    static final String MASK = Redaction.MASK;

    private static final Set<String> AUTH_ACTIONS = Set.of("status", "login", "logout");
    private static final Pattern SECRET_OPTION = Pattern.compile("(?i).*(password|passwd|secret|token|key).*");

    private final Map<String, Command> commands;

    CommandLineRedaction(Map<String, Command> commands) {
        this.commands = commands;
    }

    /** The words as they may be shown, and the texts that were hidden (to scrub from messages). */
    public record Redacted(List<String> shown, List<String> hidden) {

        public String line() {
            return String.join(" ", shown);
        }

        /**
         * The message with every hidden text replaced by {@code ****}, then redacted by {@link Redaction}:
         * an error message may quote what the user typed.
         */
        public String scrub(String message) {
            if (message == null) {
                return null;
            }
            String text = message;
            List<String> longestFirst = hidden.stream().filter(h -> h.length() >= 3)
                    .sorted(Comparator.comparingInt(String::length).reversed()).toList();
            for (String secret : longestFirst) {
                text = text.replace(secret, MASK);
            }
            return Redaction.redactText(text);
        }
    }

    public Redacted apply(List<String> args) {
        List<String> shown = new ArrayList<>();
        List<String> hidden = new ArrayList<>();
        if (args.isEmpty()) {
            return new Redacted(shown, hidden);
        }
        String first = args.getFirst();
        Command command = commands.get(first);
        Options options;
        int maxArguments;
        if (command != null) {
            shown.add(first);
            options = CommandLineInterface.withHelp(command.options());
            maxArguments = command.arity()[1];
        } else {
            // Not a command: nothing after it is understood, so no argument is shown (URLs redacted).
            options = new Options();
            maxArguments = 0;
            if (first.startsWith("-")) {
                addOption(first, options, shown, hidden);
            } else if (TargetUrls.isUrl(first)) {
                addShown(first, shown, hidden);
            } else {
                addIf(showableCommand(first, commands.keySet()), first, shown, hidden);
            }
        }
        int arguments = 0;
        boolean optionsEnded = false;
        for (int i = 1; i < args.size(); i++) {
            String word = args.get(i);
            if (!optionsEnded && word.equals("--")) {
                shown.add(word);
                optionsEnded = true;
            } else if (!optionsEnded && word.startsWith("-") && word.length() > 1) {
                boolean takesNext = addOption(word, options, shown, hidden);
                if (takesNext && i + 1 < args.size() && !looksLikeOption(args.get(i + 1))) {
                    i++;
                    String value = args.get(i);
                    Option option = option(word, options);
                    addIf(option != null && !secret(option), value, shown, hidden);
                }
            } else {
                arguments++;
                boolean show = arguments <= maxArguments
                        && !(command instanceof AuthCommand && arguments == 1 && !AUTH_ACTIONS.contains(word)
                                && Suggestions.closest(word, AUTH_ACTIONS).isEmpty());
                addIf(show, word, shown, hidden);
            }
        }
        return new Redacted(shown, hidden);
    }

    /**
     * Adds an option word; returns whether the next word is its value. An unknown option is taken to
     * have a value when the next word is not an option, so that value is hidden too.
     */
    private static boolean addOption(String word, Options options, List<String> shown, List<String> hidden) {
        Option option = option(word, options);
        int equals = word.indexOf('=');
        String attached = attachedValue(word, option);
        if (option == null) {
            if (equals >= 0) {
                shown.add(word.substring(0, equals + 1) + MASK);
                hidden.add(word.substring(equals + 1));
                hidden.add(word);
                return false;
            }
            shown.add(word);
            return true;
        }
        if (!option.hasArg()) {
            shown.add(word);
            return false;
        }
        if (attached == null) {
            shown.add(word);
            return true;
        }
        String name = word.substring(0, word.length() - attached.length());
        if (secret(option)) {
            shown.add(name + MASK);
            hidden.add(attached);
        } else {
            shown.add(name + Redaction.redact(attached));
            hidden.addAll(Redaction.secrets(attached));
        }
        return false;
    }

    /**
     * Whether an unknown command may be repeated: a near miss of a command, or a plain lowercase word
     * like the command names ({@code frobnicate}); a token or password has digits, capitals or dots.
     */
    static boolean showableCommand(String word, Collection<String> commands) {
        return word.matches("[a-z][a-z-]{0,19}") || Suggestions.closest(word, commands).isPresent();
    }

    private static boolean looksLikeOption(String word) {
        return word.startsWith("-") && word.length() > 1;
    }

    private static void addIf(boolean show, String word, List<String> shown, List<String> hidden) {
        if (show) {
            addShown(word, shown, hidden);
        } else {
            shown.add(MASK);
            hidden.add(word);
        }
    }

    /** A word that may be shown, redacted; what redaction hid is scrubbed from messages too. */
    private static void addShown(String word, List<String> shown, List<String> hidden) {
        shown.add(Redaction.redact(word));
        hidden.addAll(Redaction.secrets(word));
    }

    /** The option a word names, exactly (abbreviations are not accepted by the parser either). */
    private static Option option(String word, Options options) {
        if (word.startsWith("--")) {
            String name = word.substring(2);
            int equals = name.indexOf('=');
            name = equals >= 0 ? name.substring(0, equals) : name;
            Option option = options.getOption(name);
            return option != null && name.equals(option.getLongOpt()) ? option : null;
        }
        String name = word.substring(1);
        Option option = options.getOption(name.substring(0, 1));
        if (option != null && name.substring(0, 1).equals(option.getOpt()) && (name.length() == 1 || option.hasArg())) {
            return option;
        }
        return null;
    }

    /** The value given in the same word ({@code --x=v}, {@code -xv}, {@code -x=v}), or null. */
    private static String attachedValue(String word, Option option) {
        if (option == null) {
            return null;
        }
        if (word.startsWith("--")) {
            int equals = word.indexOf('=');
            return equals >= 0 ? word.substring(equals + 1) : null;
        }
        if (word.length() <= 2) {
            return null;
        }
        return word.charAt(2) == '=' ? word.substring(3) : word.substring(2);
    }

    private static boolean secret(Option option) {
        String name = option.getLongOpt() != null ? option.getLongOpt() : option.getOpt();
        return SECRET_OPTION.matcher(name).matches();
    }
}
