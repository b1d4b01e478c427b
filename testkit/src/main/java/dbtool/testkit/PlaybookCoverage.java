package dbtool.testkit;

import dbtool.core.report.Playbooks;
import dbtool.spi.Check;
import dbtool.spi.Threshold;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Holds an engine's finding codes to the playbooks under docs/playbooks, the pages
 * {@code dbtool explain CODE} prints and the findings link to:
 * <ul>
 * <li>every code the main sources spell out as a string ({@code "PG_BLOCKING_CHAIN"}) is declared by a check
 *     ({@link Check#findingCodes()}), so the declarations are the whole set;</li>
 * <li>every declared code has a page ({@link Playbooks}' rule: named in the page's title, or a heading of
 *     its own, which is then its anchor), the page is linked from docs/playbooks/index.md, and has the five
 *     sections: what it means, how to confirm, what to do, what not to do, the thresholds;</li>
 * <li>the page names every threshold the check reporting a code declares (a code several checks report, such
 *     as a check skipped on this server, is about that, not about their thresholds);</li>
 * <li>the findings' links lead there: either the plugin's link for a code equals the page's
 *     ({@code linkOf}), or, for plugins that name pages ({@code playbook("pg-vacuum")}), every page a
 *     source names exists, and each check's source (or a shared helper's) names the pages of its codes.</li>
 * </ul>
 */
public final class PlaybookCoverage {

    /** The headings that make the five sections; a page may word them its own way within these. */
    private static final Map<String, Pattern> SECTIONS = sections();

    private static final Pattern PAGE_NAME = Pattern.compile("playbook\\(\"([a-z0-9]+(?:-[a-z0-9]+)+)\"\\)|\"([a-z0-9]+(?:-[a-z0-9]+)+)\"");

    private PlaybookCoverage() {
    }

    private static Map<String, Pattern> sections() {
        Map<String, Pattern> sections = new LinkedHashMap<>();
        sections.put("what it means", Pattern.compile("(?m)^#{2,4} +What (it|they|each) means?\\b"));
        sections.put("how to confirm", Pattern.compile("(?m)^#{2,4} +(Confirm|How to confirm)\\b"));
        sections.put("what to do", Pattern.compile("(?m)^#{2,4} +What to do\\b"));
        sections.put("what not to do", Pattern.compile("(?m)^#{2,4} +(What not to do|When not to)\\b"));
        sections.put("thresholds", Pattern.compile("(?m)^#{2,4} +Thresholds\\b"));
        return sections;
    }

    /** The docs/playbooks directory of this repository, seen from a module's folder. */
    public static Path playbooksDirectory() {
        return Path.of("..", "docs", "playbooks");
    }

    /**
     * Fails, listing every problem, unless the engine's codes and playbooks agree as the class comment says.
     *
     * @param checks    the engine's checks
     * @param sources   the plugin's main source root
     * @param codes     what the engine's codes look like, e.g. {@code PG_[A-Z0-9_]+}
     * @param notCodes  strings of that shape that are no finding codes (environment variables)
     * @param linkOf    the plugin's link for a code, or null when its checks name pages
     */
    public static void verify(List<Check> checks, Path sources, String codes, Set<String> notCodes,
                              Function<String, String> linkOf) throws IOException {
        List<String> problems = problems(checks, sources, codes, notCodes, linkOf, Playbooks.of(playbooksDirectory()));
        if (!problems.isEmpty()) {
            throw new AssertionError(problems.size() + " playbook problems:\n" + String.join("\n", problems));
        }
    }

    /** The problems {@link #verify} reports; empty when there are none. */
    static List<String> problems(List<Check> checks, Path sources, String codes, Set<String> notCodes,
                                        Function<String, String> linkOf, Playbooks playbooks) throws IOException {
        List<String> problems = new ArrayList<>();
        Map<Path, String> texts = new LinkedHashMap<>();
        try (Stream<Path> files = Files.walk(sources)) {
            for (Path file : files.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
                texts.put(file, Files.readString(file));
            }
        }
        Map<String, Check> declaredBy = new LinkedHashMap<>();
        for (Check check : checks) {
            check.findingCodes().forEach(code -> declaredBy.putIfAbsent(code, check));
        }
        if (declaredBy.isEmpty()) {
            problems.add("no check declares a finding code (Check.findingCodes)");
        }
        Pattern literal = Pattern.compile("\"(" + codes + ")\"");
        Set<String> spelt = new TreeSet<>();
        texts.values().forEach(text -> literal.matcher(text).results().forEach(m -> spelt.add(m.group(1))));
        spelt.removeAll(notCodes);
        spelt.stream().filter(code -> !declaredBy.containsKey(code))
                .forEach(code -> problems.add(code + ": reported in " + sources + " but no check declares it in findingCodes()"));

        for (Map.Entry<String, Check> declared : declaredBy.entrySet()) {
            String code = declared.getKey();
            Check check = declared.getValue();
            var entry = playbooks.find(code);
            if (entry.isEmpty()) {
                problems.add(code + " (check " + check.id() + "): no page under docs/playbooks names it in its title or as a heading");
                continue;
            }
            String page = playbooks.page(entry.get().page()).orElseThrow();
            for (Map.Entry<String, Pattern> section : SECTIONS.entrySet()) {
                if (!section.getValue().matcher(page).find()) {
                    problems.add(code + ": " + entry.get().page() + " has no section '" + section.getKey() + "'");
                }
            }
            // A code several checks report (a check skipped on this server) is about that, not about their thresholds.
            List<Check> reporters = checks.stream().filter(c -> c.findingCodes().contains(code)).toList();
            for (Check reporter : reporters.size() == 1 ? reporters : List.<Check>of()) {
                for (Threshold threshold : reporter.thresholds()) {
                    if (!page.contains("`" + threshold.name() + "`")) {
                        problems.add(code + ": " + entry.get().page() + " does not name the threshold `" + threshold.name()
                                + "` that check " + reporter.id() + " declares");
                    }
                }
            }
            if (linkOf != null) {
                String link;
                try {
                    link = linkOf.apply(code);
                } catch (RuntimeException e) {
                    link = "(" + e.getMessage() + ")";
                }
                if (!entry.get().link().equals(link)) {
                    problems.add(code + ": findings link to " + link + ", the playbook is " + entry.get().link());
                }
            }
        }
        if (linkOf == null) {
            problems.addAll(namedPages(checks, texts, playbooks));
        }
        return problems.stream().distinct().toList();
    }

    /** Pages named in sources exist; each check's source, or a shared helper's, names the pages of its codes. */
    private static List<String> namedPages(List<Check> checks, Map<Path, String> texts, Playbooks playbooks) {
        List<String> problems = new ArrayList<>();
        Set<String> checkFiles = new HashSet<>();
        checks.forEach(check -> checkFiles.add(check.getClass().getSimpleName() + ".java"));
        Set<String> shared = new TreeSet<>();
        Map<String, Set<String>> byFile = new LinkedHashMap<>();
        for (Map.Entry<Path, String> source : texts.entrySet()) {
            String file = source.getKey().getFileName().toString();
            Set<String> named = new TreeSet<>();
            Matcher matcher = PAGE_NAME.matcher(source.getValue());
            while (matcher.find()) {
                String call = matcher.group(1);
                String name = call != null ? call : matcher.group(2);
                if (playbooks.page(name + ".md").isPresent()) {
                    named.add(name + ".md");
                } else if (call != null) {
                    problems.add(source.getKey() + ": playbook(\"" + call + "\") names no page under docs/playbooks");
                }
            }
            byFile.merge(file, named, (a, b) -> {
                a.addAll(b);
                return a;
            });
            if (!checkFiles.contains(file)) {
                shared.addAll(named);
            }
        }
        for (Check check : checks) {
            Set<String> named = new TreeSet<>(byFile.getOrDefault(check.getClass().getSimpleName() + ".java", Set.of()));
            named.addAll(shared);
            for (String code : check.findingCodes()) {
                playbooks.find(code).filter(entry -> !named.contains(entry.page())).ifPresent(entry -> problems.add(
                        code + ": explained in " + entry.page() + ", but check " + check.id() + " (" + check.getClass().getSimpleName()
                                + ") links its findings to " + (named.isEmpty() ? "no page" : named)));
            }
        }
        return problems;
    }
}
