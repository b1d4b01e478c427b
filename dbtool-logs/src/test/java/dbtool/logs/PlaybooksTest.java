package dbtool.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dbtool.core.report.Playbooks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The log findings' codes: every code the sources spell out is the server-log check's (the rules' causes) or
 * one of 'dbtool logs' own (patterns, spikes), and each is a section of docs/playbooks/logs.md, where its
 * link points; the page has the five sections every playbook has.
 */
class PlaybooksTest {

    private static final Set<String> COMMAND_CODES = Set.of("LOG_PATTERNS", "LOG_ROUTINE", "LOG_NEW_PATTERNS", "LOG_SPIKES");
    private static final Pattern CODE = Pattern.compile("\"((?:PG_|MSSQL_|MONGO_|SF_)?LOG_[A-Z][A-Z0-9_]+)\"");

    @Test
    void everyLogFindingCodeIsDeclaredAndHasItsSection() throws IOException {
        Set<String> spelt = new TreeSet<>();
        try (Stream<Path> sources = Files.walk(Path.of("src", "main", "java"))) {
            for (Path source : sources.filter(p -> p.toString().endsWith(".java")).toList()) {
                CODE.matcher(Files.readString(source)).results().forEach(m -> spelt.add(m.group(1)));
            }
        }
        Set<String> declared = new TreeSet<>(new ServerLogCheck().findingCodes());
        declared.addAll(COMMAND_CODES);
        assertEquals(declared, spelt, "codes in the sources vs. ServerLogCheck.CODES and the command's own");
        assertEquals(29, new ServerLogCheck().findingCodes().size());

        Playbooks playbooks = Playbooks.of(Path.of("..", "docs", "playbooks"));
        for (String code : declared) {
            assertEquals("docs/playbooks/logs.md#" + code.toLowerCase(Locale.ROOT),
                    playbooks.find(code).map(Playbooks.Entry::link).orElse("no page"), code);
        }
        String page = playbooks.page("logs.md").orElseThrow();
        for (String section : List.of("## What it means", "## Confirm", "## What to do", "## What not to do", "## Thresholds")) {
            assertTrue(page.contains("\n" + section), "logs.md has no section " + section);
        }
    }
}
