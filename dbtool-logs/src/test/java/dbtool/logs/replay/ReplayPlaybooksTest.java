package dbtool.logs.replay;

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
import org.junit.jupiter.api.Test;

/**
 * The replay report's finding codes: every code its sources spell out is in {@link ReplayReport#CODES}
 * (its findingCodes), and each has its section in docs/playbooks/session-replay.md, where its link
 * points; the page has the five sections every playbook has.
 */
class ReplayPlaybooksTest {

    private static final Pattern CODE = Pattern.compile("\"(REPLAY_[A-Z][A-Z0-9_]+)\"");

    @Test
    void everyReplayCodeIsDeclaredAndHasItsSection() throws IOException {
        Set<String> spelt = new TreeSet<>();
        CODE.matcher(Files.readString(Path.of("src/main/java/dbtool/logs/replay/ReplayReport.java")))
                .results().forEach(m -> spelt.add(m.group(1)));
        assertEquals(new TreeSet<>(ReplayReport.CODES), spelt);
        Playbooks playbooks = Playbooks.of(Path.of("..", "docs", "playbooks"));
        for (String code : ReplayReport.CODES) {
            assertEquals("docs/playbooks/session-replay.md#" + code.toLowerCase(Locale.ROOT),
                    playbooks.find(code).map(Playbooks.Entry::link).orElse("no page"), code);
        }
        String page = playbooks.page("session-replay.md").orElseThrow();
        for (String section : List.of("## What it means", "## Confirm", "## What to do", "## What not to do", "## Thresholds")) {
            assertTrue(page.contains("\n" + section), "session-replay.md has no section " + section);
        }
    }
}
