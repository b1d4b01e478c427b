package dbtool.testkit;

import dbtool.spi.Check;
import dbtool.spi.Threshold;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Keeps the documentation of an engine's thresholds equal to what its checks declare, so the
 * two cannot drift:
 * <ul>
 * <li>a table between {@code <!-- thresholds ENGINE ... -->} and {@code <!-- /thresholds -->} is
 *     generated from the declarations (name, default, unit, the checks that read it, meaning);
 *     run the test with {@code -Ddbtool.docs.write=true} to rewrite it after a change;</li>
 * <li>prose that gives a threshold with its default, {@code `long_query_seconds` (60 s)}, must
 *     give the declared default, and a name shaped like a threshold ({@code _seconds},
 *     {@code _ratio}, {@code _warning}, ...) given so must be declared;</li>
 * <li>checks of one engine that share a name declare the same default and unit.</li>
 * </ul>
 */
public final class ThresholdDocs {

    private static final Pattern TABLE = Pattern.compile("(<!-- thresholds ([a-z]+)[^>]*-->\\n)(.*?)(<!-- /thresholds -->)", Pattern.DOTALL);
    /** `name` (60 s), `name` (default 14), `name` (10 GiB), `name` (1.5 billion), `name` (100,000). */
    private static final Pattern MENTION = Pattern.compile(
            "`([a-z][a-z0-9_]*)` \\((?:default:? )?([0-9][0-9,]*(?:\\.[0-9]+)?)( ?(?:GiB|MiB|billion|million))?[^)]*\\)");

    /** How threshold names end (the unit or the level they set), unlike the server settings playbooks also quote. */
    private static final Pattern THRESHOLD_LIKE = Pattern.compile(
            ".*_(seconds|minutes|hours|days|millis|ratio|percent|bytes|mb|count|rows|blocks|factor|warning|critical|per_second)");

    private ThresholdDocs() {
    }

    /**
     * The main sources under {@code sourceRoot} that read a threshold by name ({@code context.number(}
     * or {@code settings().get}) instead of through a declared {@code Threshold}: empty when every
     * check reads its thresholds through its declarations.
     */
    public static List<String> undeclaredReads(Path sourceRoot) throws IOException {
        List<String> undeclared = new ArrayList<>();
        try (Stream<Path> sources = Files.walk(sourceRoot)) {
            for (Path source : sources.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
                String text = Files.readString(source);
                if (text.contains("context.number(") || text.contains("settings().get")) {
                    undeclared.add(source.toString());
                }
            }
        }
        return undeclared;
    }

    /**
     * Each engine's test of its thresholds: fails, listing every problem, unless the docs show the
     * thresholds the checks declare ({@link #problems}), the engine declares some, and no main source
     * under {@code sourceRoot} reads a threshold by name ({@link #undeclaredReads}).
     */
    public static void verify(String engine, List<Check> checks, List<Path> docs, Path sourceRoot) throws IOException {
        List<String> problems = new ArrayList<>(problems(engine, checks, docs));
        undeclaredReads(sourceRoot).forEach(source -> problems.add(source + ": reads a threshold by name instead of through a declared Threshold"));
        if (checks.stream().allMatch(check -> check.thresholds().isEmpty())) {
            problems.add(engine + ": no check declares a threshold");
        }
        if (!problems.isEmpty()) {
            throw new AssertionError(String.join("\n", problems));
        }
    }

    /** The Markdown table of the thresholds {@code checks} declare, in check order. */
    public static String table(List<Check> checks) {
        StringBuilder table = new StringBuilder("| name | default | unit | checks | meaning |\n|---|---|---|---|---|\n");
        declared(checks).forEach((name, declaration) -> table.append("| `").append(name).append("` | ")
                .append(declaration.threshold().defaultText()).append(" | ").append(declaration.threshold().unit())
                .append(" | ").append(String.join(", ", declaration.checks())).append(" | ")
                .append(declaration.threshold().meaning().replace("|", "\\|")).append(" |\n"));
        return table.toString();
    }

    /**
     * What is wrong between the declarations and the files: empty when they agree. With the system
     * property {@code dbtool.docs.write=true}, the generated tables are rewritten first.
     *
     * @param engine the engine id the tables are marked with
     * @param docs   the Markdown files that document the engine (its page, its playbooks)
     */
    public static List<String> problems(String engine, List<Check> checks, List<Path> docs) {
        List<String> problems = new ArrayList<>();
        Map<String, Declaration> declared = declared(checks, problems);
        String expected = table(checks);
        int tables = 0;
        for (Path doc : docs) {
            String text = read(doc);
            Matcher matcher = TABLE.matcher(text);
            StringBuilder rewritten = new StringBuilder();
            while (matcher.find()) {
                if (!matcher.group(2).equals(engine)) {
                    continue;
                }
                tables++;
                if (!matcher.group(3).equals(expected)) {
                    problems.add(doc + ": the thresholds table differs from the checks' declarations; expected:\n" + expected);
                }
                matcher.appendReplacement(rewritten, Matcher.quoteReplacement(matcher.group(1) + expected + matcher.group(4)));
            }
            matcher.appendTail(rewritten);
            if (Boolean.getBoolean("dbtool.docs.write") && !rewritten.toString().equals(text)) {
                write(doc, rewritten.toString());
            }
            Matcher mention = MENTION.matcher(text);
            while (mention.find()) {
                String name = mention.group(1);
                Declaration declaration = declared.get(name);
                if (declaration == null && THRESHOLD_LIKE.matcher(name).matches()) {
                    problems.add(doc + ": `" + name + "` is documented with a default, but no " + engine + " check declares it");
                    continue;
                }
                if (declaration == null) {
                    continue;
                }
                BigDecimal documented = new BigDecimal(mention.group(2).replace(",", ""))
                        .multiply(scale(Optional.ofNullable(mention.group(3)).orElse("").trim()));
                if (documented.compareTo(BigDecimal.valueOf(declaration.threshold().defaultValue())) != 0) {
                    problems.add(doc + ": " + mention.group() + " says " + documented.stripTrailingZeros().toPlainString()
                            + ", the declared default is " + declaration.threshold().defaultText());
                }
            }
        }
        if (tables == 0) {
            problems.add("no <!-- thresholds " + engine + " --> table in " + docs);
        }
        return problems;
    }

    private static BigDecimal scale(String unit) {
        return switch (unit) {
            case "GiB" -> BigDecimal.valueOf(1L << 30);
            case "MiB" -> BigDecimal.valueOf(1L << 20);
            case "billion" -> BigDecimal.valueOf(1_000_000_000L);
            case "million" -> BigDecimal.valueOf(1_000_000L);
            default -> BigDecimal.ONE;
        };
    }

    private record Declaration(Threshold threshold, List<String> checks) {
    }

    private static Map<String, Declaration> declared(List<Check> checks) {
        return declared(checks, new ArrayList<>());
    }

    private static Map<String, Declaration> declared(List<Check> checks, List<String> problems) {
        Map<String, Declaration> declared = new LinkedHashMap<>();
        for (Check check : checks) {
            for (Threshold threshold : check.thresholds()) {
                Declaration first = declared.computeIfAbsent(threshold.name(), n -> new Declaration(threshold, new ArrayList<>()));
                first.checks().add(check.id());
                Threshold one = first.threshold();
                if (Double.compare(one.defaultValue(), threshold.defaultValue()) != 0 || !one.unit().equals(threshold.unit())
                        || !one.choices().equals(threshold.choices())) {
                    problems.add("checks " + first.checks() + " declare " + threshold.name() + " differently: "
                            + one + " and " + threshold);
                }
            }
        }
        return declared;
    }

    private static String read(Path doc) {
        try {
            return Files.readString(doc, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(Path doc, String text) {
        try {
            Files.writeString(doc, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
