package dbtool.top;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dbtool.plugin.postgres.demo.Incident;
import dbtool.plugin.postgres.demo.LocalCluster;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code dbtool top --once} and the command's errors, against a real PostgreSQL with a staged incident. */
class TopCommandTest {

    static LocalCluster cluster;
    Incident incident;
    @TempDir
    Path home;

    @BeforeAll
    static void start() throws Exception {
        cluster = LocalCluster.start(LocalCluster.Settings.defaults());
        cluster.execute("postgres", "CREATE DATABASE shop");
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @BeforeEach
    void stage() {
        incident = new Incident(cluster, "shop");
    }

    @AfterEach
    void end() {
        incident.close();
    }

    @Test
    void onceAsJsonGivesTheTreeRatesAndStatementsForScripts() throws Exception {
        int head = incident.blockingChain("accounts", 3);
        TopRun run = TopRun.run(home, false, null, cluster.url("shop"), "--once", "--format", "json", "--interval", "0.5");

        assertEquals(0, run.exitCode(), run.toString());
        JsonObject json = JsonParser.parseString(run.out()).getAsJsonObject();
        assertEquals("top", json.get("kind").getAsString());
        assertEquals("postgresql", json.getAsJsonObject("target").get("engine").getAsString());
        assertEquals(2, json.get("statements").getAsInt(), "what one refresh costs the server");
        assertTrue(json.getAsJsonObject("ratesPerSecond").has("commits"), json.toString());
        JsonArray sessions = json.getAsJsonArray("sessions");
        JsonObject first = sessions.get(0).getAsJsonObject();
        assertEquals(String.valueOf(head), first.get("id").getAsString());
        assertEquals(List.of(0, 1, 2), sessions.asList().subList(0, 3).stream().map(s -> s.getAsJsonObject().get("depth").getAsInt()).toList());
        assertEquals("SELECT pg_terminate_backend(" + head + ")", first.get("terminate").getAsString());
        assertEquals(String.valueOf(head), sessions.get(1).getAsJsonObject().getAsJsonArray("blockedBy").get(0).getAsString());
        assertTrue(sessions.asList().stream().map(JsonElement::getAsJsonObject)
                .noneMatch(s -> "dbtool".equals(s.get("application").isJsonNull() ? null : s.get("application").getAsString())),
                "dbtool does not list its own session");
    }

    @Test
    void onceAsTextDrawsTheTreeWithoutATerminal() throws Exception {
        int head = incident.blockingChain("ledger", 2);
        int sleeper = incident.longQuery("reports", 30);
        TopRun run = TopRun.run(home, false, null, cluster.url("shop"), "--once", "--interval", "0.5");

        assertEquals(0, run.exitCode(), run.toString());
        List<String> lines = run.out().lines().toList();
        assertTrue(lines.getFirst().startsWith("dbtool top "), run.out());
        int headLine = indexOf(lines, " " + head + " ");
        assertTrue(headLine > 0 && lines.get(headLine + 1).startsWith(" \u2514"), "the waiter under its head:\n" + run.out());
        assertTrue(run.out().contains(" " + sleeper + " ") && run.out().contains("SELECT pg_sleep(30)"), run.out());
        assertTrue(lines.stream().noneMatch(line -> line.startsWith(">")), "no row is selected when nobody can select");
        assertFalse(run.out().contains("q quit"), "no key help when nothing reads keys");
    }

    @Test
    void withoutATerminalAndWithoutOnceItSaysToUseOnce() {
        TopRun run = TopRun.run(home, false, null, cluster.url("shop"));

        assertEquals(64, run.exitCode(), run.toString());
        assertEquals("dbtool: top: standard output is not a terminal; use --once (--format text or json) for one frame",
                run.err().strip());
        assertEquals("", run.out());
    }

    @Test
    void badOptionsAreOneLineUsageErrors() {
        TopRun interval = TopRun.run(home, false, null, cluster.url("shop"), "--once", "--interval", "0");
        assertEquals(64, interval.exitCode());
        assertEquals("dbtool: --interval: expected seconds between 0.5 and 60, got '0'", interval.err().strip());
        TopRun sort = TopRun.run(home, false, null, cluster.url("shop"), "--once", "--sort", "size");
        assertEquals("dbtool: --sort: expected duration, cpu, io or waits, got 'size'", sort.err().strip());
        TopRun format = TopRun.run(home, true, null, cluster.url("shop"), "--format", "json");
        assertEquals("dbtool: --format: only with --once (the live view is for a terminal)", format.err().strip());
    }

    @Test
    void aServerThatCannotBeReadIsOneLineWithoutTheSecret() {
        TopRun run = TopRun.run(home, false, null, "postgresql://app:s3cret-pw@127.0.0.1:1/shop", "--once", "--interval", "0.5");

        assertEquals(3, run.exitCode(), run.toString());
        assertEquals(1, run.err().lines().count(), run.err());
        assertTrue(run.err().startsWith("dbtool: top: postgresql://app:****@127.0.0.1:1/shop: cannot read the server: "), run.err());
        assertFalse(run.err().contains("s3cret") || run.out().contains("s3cret"));
    }

    private static int indexOf(List<String> lines, String text) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(text)) {
                return i;
            }
        }
        return -1;
    }
}
