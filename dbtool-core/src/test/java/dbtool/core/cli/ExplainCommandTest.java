package dbtool.core.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dbtool.core.Environment;
import dbtool.core.report.MarkdownText;
import dbtool.core.report.Playbooks;
import dbtool.core.report.Style;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code dbtool explain CODE}: the playbook pages as shipped in the jar, found by code, printed as terminal text. */
class ExplainCommandTest {

    private static final Path DOCS = Path.of("..", "docs", "playbooks");

    @TempDir
    Path home;

    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        out.reset();
        err.reset();
        Map<String, String> variables = new HashMap<>();
        variables.put("XDG_CONFIG_HOME", home.toString());
        CommandContext context = new CommandContext(new Environment(variables, home, "Linux", null),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), false);
        try (context) {
            return CommandLineInterface.standard().execute(List.of(args), context);
        }
    }

    private String stdout() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void theShippedPagesAreTheDocsPagesAndEveryPageIsInTheIndex() throws IOException {
        Playbooks bundled = Playbooks.bundled();
        Playbooks docs = Playbooks.of(DOCS);
        Set<String> files = new TreeSet<>();
        try (Stream<Path> pages = Files.list(DOCS)) {
            pages.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".md")).forEach(files::add);
        }
        assertEquals(files, new TreeSet<>(docs.pages()), "every page under docs/playbooks is linked from index.md");
        assertEquals(docs.pages(), bundled.pages());
        for (String page : docs.pages()) {
            assertEquals(docs.page(page), bundled.page(page), page);
        }
        assertEquals(docs.codes(), bundled.codes());
        assertTrue(bundled.codes().size() > 200, "codes: " + bundled.codes().size());
    }

    @Test
    void aCodeWithItsOwnSectionLinksToItsAnchorAndPrintsOnlyItsOwnSection() {
        Playbooks playbooks = Playbooks.bundled();
        assertEquals("docs/playbooks/pg-connection-failed.md#pg_dns_failed", playbooks.find("PG_DNS_FAILED").orElseThrow().link());
        assertEquals("docs/playbooks/pg-blocking-chain.md", playbooks.find("pg_blocking_chain").orElseThrow().link());
        assertEquals("docs/playbooks/mongo-locks.md#mongo_lock_waits", playbooks.find("MONGO_LOCK_WAITS").orElseThrow().link());
        assertEquals("docs/playbooks/pg-connection-failed.md#session_failed", playbooks.find("SESSION_FAILED").orElseThrow().link());

        assertEquals(0, run("explain", "PG_DNS_FAILED", "--no-color"), stderr());
        String text = stdout();
        assertTrue(text.contains("PG_DNS_FAILED"), text);
        assertFalse(text.contains("PG_AUTH_NO_HBA_ENTRY\n"), "another code's section: " + text);
        assertTrue(text.contains("What not to do"), text);
        assertTrue(text.contains("Thresholds"), text);
        assertTrue(text.strip().endsWith("Playbook: docs/playbooks/pg-connection-failed.md#pg_dns_failed"), text);
        assertEquals("", stderr());
    }

    @Test
    void thePageIsReadableTerminalText() {
        assertEquals(0, run("explain", "mssql_blocking", "--no-color"), stderr());
        String text = stdout();
        assertTrue(text.startsWith("MSSQL_BLOCKING, MSSQL_LOCK_WAITS and MSSQL_LONG_TRANSACTION"), text);
        assertTrue(text.contains("\n    KILL 53;\n"), "code blocks indented as written: " + text);
        assertFalse(text.contains("```"), text);
        assertFalse(text.contains("**"), text);
        assertFalse(text.contains("`"), text);
        assertFalse(text.contains("\u001b"), "no colour with --no-color: " + text);
        assertTrue(text.contains("blocked_sessions_critical"), text);
    }

    @Test
    void anUnknownCodeIsOneLineWithTheClosestCodesAndExit64() {
        assertEquals(64, run("explain", "PG_BLOKING_CHAIN"));
        assertEquals("", stdout());
        assertEquals(1, stderr().lines().count(), stderr());
        assertTrue(stderr().contains("no playbook for the code 'PG_BLOKING_CHAIN'"), stderr());
        assertTrue(stderr().contains("PG_BLOCKING_CHAIN"), stderr());

        assertEquals(64, run("explain", "WRAPAROUND"));
        assertTrue(stderr().contains("PG_XID_WRAPAROUND"), "a part of a code finds it: " + stderr());

        // Something that is no code (a pasted secret, control characters) is not echoed.
        assertEquals(64, run("explain", "hunter2 \u001b[2J"));
        assertEquals(1, stderr().lines().count(), stderr());
        assertFalse(stderr().contains("hunter2"), stderr());
        assertFalse(stderr().contains("\u001b"), stderr());
    }

    @Test
    void withoutACodeItListsEveryCodeAndItsPage() {
        assertEquals(0, run("explain", "--no-color"), stderr());
        assertTrue(stdout().contains("MSSQL_TEMPDB_FULL"), stdout());
        assertTrue(stdout().contains("docs/playbooks/sf-spilling.md"), stdout());
        assertEquals(Playbooks.bundled().codes().size() + 1, stdout().lines().count());
    }

    @Test
    void controlCharactersInAPageAreShownNotObeyed() {
        String rendered = MarkdownText.render("# Title\n\nA line with \u001b[2J in it and `code`.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n", Style.PLAIN);
        assertFalse(rendered.contains("\u001b"), rendered);
        assertTrue(rendered.contains("\\e[2J"), rendered);
        assertTrue(rendered.startsWith("Title\n=====\n"), rendered);
        assertTrue(rendered.contains("  a  b"), rendered);
    }
}
