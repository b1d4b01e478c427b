package dbtool.logs.mining;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TemplateMinerTest {

    @Test
    void linesThatDifferInVariablesShareOneTemplate() {
        TemplateMiner miner = new TemplateMiner();
        TemplateMiner.Template a = miner.add("connection received: host=10.0.0.1 port=5432");
        TemplateMiner.Template b = miner.add("connection received: host=db-2.example.com port=40112");
        assertSame(a, b);
        assertEquals("connection received: host=<*> port=<*>", b.text());
        assertEquals(2, b.count());
    }

    @Test
    void linesThatDifferInAWordStayApartUntilTheWordProvesVariable() {
        TemplateMiner miner = new TemplateMiner();
        TemplateMiner.Template start = miner.add("Starting TrustedInstaller initialization.");
        TemplateMiner.Template end = miner.add("Ending TrustedInstaller initialization.");
        assertNotEquals(start.id(), end.id());

        List<TemplateMiner.Template> users = new ArrayList<>();
        for (String user : List.of("alice", "bob", "carol", "dave", "erin")) {
            users.add(miner.add("password authentication failed for user " + user));
        }
        TemplateMiner.Template last = users.getLast();
        assertEquals("password authentication failed for user <*>", last.text());
        assertEquals(5, last.count());
        assertTrue(users.stream().allMatch(t -> t.resolve() == last), "all users resolve to one template");
    }

    @Test
    void theSameLinesGiveTheSameTemplatesAndIds() {
        List<String> lines = List.of("a 1 b", "x y z", "a 2 b", "x y w 3", "deadlock detected", "a 3 b");
        List<String> first = new ArrayList<>();
        List<String> second = new ArrayList<>();
        TemplateMiner one = new TemplateMiner();
        TemplateMiner two = new TemplateMiner();
        lines.forEach(l -> first.add(one.add(l).id() + " " + one.add(l).text()));
        lines.forEach(l -> second.add(two.add(l).id() + " " + two.add(l).text()));
        assertEquals(first, second);
    }

    @Test
    void memoryIsBoundedByEvictingTheLeastRecentlyUsedTemplate() {
        TemplateMiner miner = new TemplateMiner(TemplateMiner.Settings.defaults().withMaxTemplates(10));
        TemplateMiner.Template frequent = miner.add("checkpoint starting: time");
        for (int i = 0; i < 100; i++) {
            miner.add("distinct" + " message".repeat(i + 1)); // a new token count: a new template
            miner.add("checkpoint starting: time");
        }
        assertEquals(10, miner.templates().size());
        assertTrue(miner.templates().contains(frequent), "the template used all along is kept");
        assertEquals(91, miner.evictedLines(), "101 templates, 10 kept, one line each evicted");
    }

    @Test
    void aLineSeenBeforeJoinsItsTemplateUnlessThatWasEvicted() {
        TemplateMiner miner = new TemplateMiner(TemplateMiner.Settings.defaults().withMaxTemplates(2));
        TemplateMiner.Template first = miner.add("duration: 1.5 ms statement: select 1");
        assertSame(first, miner.add("duration: 2.25 ms statement: select 7"), "the same once masked: the same template");
        assertEquals(2, first.count());
        for (String other : List.of("one other line", "a third line here", "and a fourth line here now", "the fifth line is here now too")) {
            miner.add(other); // two templates kept at most: the first goes, unused since
        }
        assertTrue(miner.templates().stream().noneMatch(t -> t.id() == first.id()), miner.templates().toString());
        TemplateMiner.Template again = miner.add("duration: 1.5 ms statement: select 1");
        assertNotEquals(first.id(), again.id(), "an evicted template is not brought back by the lines it took");
        assertEquals(1, again.count());
        assertTrue(miner.evictedLines() >= 2, "the first template's two lines count as evicted: " + miner.evictedLines());
    }
}
