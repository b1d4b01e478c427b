package dbtool.monitoring.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dbtool.monitoring.Engines;
import dbtool.monitoring.ExportedMetrics;
import dbtool.monitoring.MonitoringRun;
import dbtool.monitoring.Promtool;
import dbtool.serve.alert.BuiltInAlerts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The generated rules pass Prometheus's own tools: {@code promtool check rules} on the file, and {@code promtool test
 * rules} on a unit test per rule whose series fire it and one whose series must not. Every alert comes back to serve's
 * intake (its name is in the built-in table, it carries dbtool_target), and every series it names is one its engine
 * exports.
 */
class RulesTest {

    @TempDir
    Path dir;

    @Test
    void theCommandWritesRulesThatPromtoolChecksAndUnitTestsThatPassForEveryRule() throws Exception {
        MonitoringRun run = MonitoringRun.run(dir, Map.of(), "monitoring", "rules", "--out", dir.resolve("dbtool-rules.yml").toString(),
                "--tests", dir.resolve("tests/dbtool-rules.test.yml").toString());
        assertEquals(0, run.exitCode(), run.toString());
        int rules = RuleCatalog.all().size();
        assertTrue(run.out().contains("wrote " + rules + " alerting rules"), run.toString());

        Promtool check = Promtool.run(dir, "check", "rules", "dbtool-rules.yml");
        assertEquals(0, check.exitCode(), check.output());
        assertTrue(check.output().contains("SUCCESS: " + rules + " rules found"), check.output());

        Promtool test = Promtool.run(dir.resolve("tests"), "test", "rules", "dbtool-rules.test.yml");
        assertEquals(0, test.exitCode(), test.output());
        assertTrue(test.output().contains("SUCCESS"), test.output());
        String tests = Files.readString(dir.resolve("tests/dbtool-rules.test.yml"));
        for (AlertRule rule : RuleCatalog.all()) {
            assertTrue(tests.contains("name: '" + rule.alert() + " fires'"), rule.alert());
            assertTrue(tests.contains("name: '" + rule.alert() + " stays quiet'"), rule.alert());
        }
    }

    @Test
    void aRuleWhoseQuietSeriesWouldFireFailsItsPromtoolTest() throws Exception {
        // The unit tests can fail: swap one rule's examples and promtool says so.
        AlertRule rule = RuleCatalog.all().getFirst();
        AlertRule swapped = new AlertRule(rule.alert(), rule.engine(), rule.expr(), rule.holdFor(), rule.severity(), rule.summary(),
                rule.description(), rule.playbook(), rule.quiet(), rule.firing(), rule.anchor());
        Files.writeString(dir.resolve("rules.yml"), RuleFiles.rules(List.of(swapped), "test"));
        Files.writeString(dir.resolve("tests.yml"), RuleFiles.tests(List.of(swapped), "rules.yml"));
        Promtool test = Promtool.run(dir, "test", "rules", "tests.yml");
        assertEquals(1, test.exitCode(), test.output());
        assertTrue(test.output().contains("FAILED"), test.output());
    }

    @Test
    void everyAlertNameIsOneServesIntakeMapsAndEveryRuleHasForSeverityAnnotationsAndDbtoolTarget() throws Exception {
        String yaml = RuleFiles.rules(RuleCatalog.all(), "test");
        Set<String> names = new HashSet<>();
        for (AlertRule rule : RuleCatalog.all()) {
            assertTrue(names.add(rule.alert()), "unique: " + rule.alert());
            assertTrue(BuiltInAlerts.find(rule.alert()).isPresent(), rule.alert() + " is not in serve's built-in alert table");
            assertFalse(rule.summary().isBlank() || rule.description().isBlank(), rule.alert());
            assertTrue(rule.summary().contains("{{ $labels.target }}"), rule.alert());
            String playbook = rule.playbook().replaceAll("#.*", "");
            assertTrue(Files.exists(MonitoringRun.repository().resolve(playbook)), rule.alert() + ": no " + playbook);
            assertTrue(rule.expr().contains("engine=\"" + rule.engine() + "\""), rule.alert() + " is about one engine");
        }
        Matcher blocks = Pattern.compile("(?m)^      - alert: (\\w+)\\n((?:        .*\\n)+)").matcher(yaml);
        int seen = 0;
        while (blocks.find()) {
            seen++;
            String block = blocks.group(2);
            for (String field : List.of("expr:", "for:", "severity:", "dbtool_target: '{{ $labels.target }}'", "summary:", "description:",
                    "playbook:")) {
                assertTrue(block.contains(field), blocks.group(1) + " lacks " + field);
            }
        }
        assertEquals(RuleCatalog.all().size(), seen);
    }

    @Test
    void everySeriesARuleNamesIsOneItsEngineExports() {
        List<String> problems = new ArrayList<>();
        for (AlertRule rule : RuleCatalog.all()) {
            Set<String> unknown = ExportedMetrics.unknown(rule.expr(), List.of(rule.engine()));
            if (!unknown.isEmpty()) {
                problems.add(rule.alert() + ": " + unknown);
            }
            for (AlertRule.Series series : rule.firing()) {
                assertTrue(rule.expr().contains(series.series().replaceAll("\\{.*", "")), rule.alert() + " example " + series.series());
            }
        }
        assertEquals(List.of(), problems);
        // and the scan itself can tell: a name no check reports is caught
        assertEquals(Set.of("dbtool_no_such_metric"), ExportedMetrics.unknown("dbtool_no_such_metric > 0", List.of("postgresql")));
    }

    @Test
    void everyEngineHasRulesForDownBlockingAndItsAwesomeSet() {
        for (String engine : Engines.ALL) {
            List<String> alerts = RuleCatalog.forEngines(List.of(engine)).stream().map(AlertRule::alert).toList();
            assertTrue(alerts.stream().anyMatch(a -> a.endsWith("Down")), engine + " " + alerts);
            assertTrue(RuleCatalog.forEngines(List.of(engine)).stream().anyMatch(r -> r.anchor().contains("head blocker")), engine);
        }
        List<String> postgres = RuleCatalog.forEngines(List.of("postgresql")).stream().map(AlertRule::alert).toList();
        assertTrue(postgres.containsAll(List.of("PostgresqlDown", "PostgresqlTooManyConnections", "PostgresqlDeadLocks",
                "PostgresqlHighRollbackRate", "PostgresqlReplicationLag", "PostgresqlTooManyDeadTuples",
                "PostgresqlLongRunningTransaction", "PostgresqlBlockingChain", "PostgresqlInactiveSlotRetainingWal",
                "PostgresqlTxidWraparound", "PostgresqlNotEnoughConnections")), postgres.toString());
    }
}
