package dbtool.spi;

import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A value a check compares against, declared by the check ({@link Check#thresholds()}) so that
 * dbtool can list it ({@code dbtool checks ENGINE}), document it, and refuse a configuration
 * key that no check of the engine declares, or a value of the wrong type, before anything runs.
 *
 * <p>A check keeps its thresholds as constants and reads them through {@link #value}, so the
 * default is written once and the name cannot be misspelt:
 *
 * <pre>{@code
 * static final Threshold LONG_QUERY = Threshold.number("long_query_seconds", 60, "s",
 *         "report statements running this long (WARNING)");
 * ...
 * double warning = LONG_QUERY.value(context);
 * }</pre>
 *
 * <p>Most thresholds are numbers; a few are one of a set of words ({@link #choice}), whose
 * default the check works out when the setting is absent.
 *
 * @param name         the configuration key, lower case with underscores, naming its unit
 *                     where it has one ({@code long_query_seconds})
 * @param defaultValue the value when the configuration does not set it; NaN for a choice
 * @param unit         {@code s}, {@code bytes}, {@code ratio}, {@code %}, ..., or empty for a
 *                     plain count
 * @param meaning      one line: what reaching it does
 * @param choices      the words a choice accepts; empty for a number
 */
public record Threshold(String name, double defaultValue, String unit, String meaning, List<String> choices) {

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]*");

    /**
     * A threshold, checked: the name lower case with underscores, a finite default for a number and
     * none (NaN) for a choice, a one-line meaning.
     *
     * @throws IllegalArgumentException when one of those rules is broken (a bug in the plugin)
     */
    public Threshold {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(unit, "unit");
        Objects.requireNonNull(meaning, "meaning");
        choices = List.copyOf(choices);
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("threshold name must be lower case with underscores: " + name);
        }
        if (choices.isEmpty() == Double.isNaN(defaultValue) || Double.isInfinite(defaultValue)) {
            throw new IllegalArgumentException("threshold " + name + ": a number needs a finite default, a choice none");
        }
        if (meaning.isBlank() || meaning.contains("\n")) {
            throw new IllegalArgumentException("threshold " + name + ": the meaning is one line");
        }
    }

    /**
     * A number with its default, unit and meaning.
     *
     * @param name the configuration key
     * @param defaultValue the value when the configuration does not set it
     * @param unit {@code s}, {@code bytes}, {@code ratio}, ..., or empty for a count
     * @param meaning one line: what reaching it does
     * @return the threshold
     */
    public static Threshold number(String name, double defaultValue, String unit, String meaning) {
        return new Threshold(name, defaultValue, unit, meaning, List.of());
    }

    /**
     * One of a few words; without a setting, the check decides (say how in the meaning).
     *
     * @param name the configuration key
     * @param choices the words it accepts, lower case
     * @param meaning one line: what each word does, and what happens without one
     * @return the threshold
     */
    public static Threshold choice(String name, List<String> choices, String meaning) {
        if (choices.isEmpty()) {
            throw new IllegalArgumentException("threshold " + name + ": a choice needs words");
        }
        return new Threshold(name, Double.NaN, "", meaning, choices);
    }

    /**
     * Whether this is a {@link #choice}.
     *
     * @return true for a choice, false for a number
     */
    public boolean isChoice() {
        return !choices.isEmpty();
    }

    /**
     * The configured number, or the default. A value that is not a number also gives the
     * default: dbtool refuses such a configuration before any check runs, so this only happens
     * when a plugin is run without dbtool's validation.
     *
     * @param context the running check's context, whose settings hold the configured value
     * @return the configured number, or {@link #defaultValue()}
     */
    public double value(CheckContext context) {
        String configured = context.settings().get(name);
        if (configured == null || isChoice() || reject(configured).isPresent()) {
            return defaultValue;
        }
        return Double.parseDouble(configured.trim());
    }

    /**
     * The configured word of a {@link #choice}.
     *
     * @param context the running check's context, whose settings hold the configured value
     * @return the word, lower case, or empty when it is not set
     */
    public Optional<String> choice(CheckContext context) {
        String configured = context.settings().get(name);
        if (configured == null || !isChoice() || reject(configured).isPresent()) {
            return Optional.empty();
        }
        return Optional.of(configured.trim().toLowerCase(Locale.ROOT));
    }

    /**
     * Why a configured value does not fit, e.g. {@code expected a number (s), got "ten"}, or
     * empty when it does.
     *
     * @param configured the value as the configuration wrote it
     * @return the reason in words, or empty when the value fits
     */
    public Optional<String> reject(String configured) {
        String value = configured == null ? "" : configured.trim();
        if (isChoice()) {
            return choices.contains(value.toLowerCase(Locale.ROOT)) ? Optional.empty()
                    : Optional.of("expected one of " + String.join(", ", choices) + ", got \"" + configured + "\"");
        }
        try {
            double parsed = Double.parseDouble(value);
            if (Double.isFinite(parsed) && !value.endsWith("d") && !value.endsWith("D")
                    && !value.endsWith("f") && !value.endsWith("F")) {
                return Optional.empty();
            }
        } catch (NumberFormatException e) {
            // described below
        }
        return Optional.of("expected a number" + (unit.isEmpty() ? "" : " (" + unit + ")") + ", got \"" + configured + "\"");
    }

    /**
     * The default as documented.
     *
     * @return e.g. {@code 60}, {@code 0.95}, {@code 10737418240}; for a choice, its words
     */
    public String defaultText() {
        if (isChoice()) {
            return "(" + String.join(" or ", choices) + ")";
        }
        return BigDecimal.valueOf(defaultValue).stripTrailingZeros().toPlainString();
    }
}
