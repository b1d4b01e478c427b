package dbtool.serve.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dbtool.core.DbtoolException;
import dbtool.core.config.Config;
import dbtool.core.config.ConfigLoader;
import java.io.StringReader;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class AlertsConfigTest {

    static Config parse(String alerts) {
        return ConfigLoader.parse(Path.of("/etc/dbtool/config.json"), new StringReader(
                "{\"targets\": {\"orders\": {\"url\": \"postgresql://db1/orders\"}},\n \"alerts\": " + alerts + "}"));
    }

    @Test
    void defaultsAndValues() {
        AlertsConfig standard = AlertsConfig.of(parse("{}"));
        assertEquals(Duration.ofMinutes(5), standard.dedupWindow());
        assertEquals(Duration.ofSeconds(10), standard.timeout());
        AlertsConfig set = AlertsConfig.of(parse("{\"dedupWindow\": 60, \"timeout\": 2.5, \"rules\": [{\"match\": {\"job\": \"pg\"}, \"target\": \"orders\"}]}"));
        assertEquals(Duration.ofSeconds(60), set.dedupWindow());
        assertEquals(Duration.ofMillis(2500), set.timeout());
        assertEquals("orders", set.rules().getFirst().target());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "unknown key | {\"dedupWindw\": 60} | /etc/dbtool/config.json:2:25: alerts.dedupWindw: unknown field; expected one of dedupWindow, rules, timeout",
            "unknown rule key | {\"rules\": [{\"match\": {\"job\": \"pg\"}, \"taget\": \"orders\"}]} | /etc/dbtool/config.json:2:55: alerts.rules[0].taget: unknown field; expected one of checks, match, matchRegex, target",
            "unknown target | {\"rules\": [{\"match\": {\"job\": \"pg\"}, \"target\": \"order\"}]} | /etc/dbtool/config.json:2:56: alerts.rules[0].target: no target 'order' is configured under \"targets\"; configured: orders",
            "bad regex | {\"rules\": [{\"matchRegex\": {\"instance\": \"db(\"}, \"target\": \"orders\"}]} | /etc/dbtool/config.json:2:49: alerts.rules[0].matchRegex.instance: not a valid regular expression: Unclosed group",
            "rule without match | {\"rules\": [{\"target\": \"orders\"}]} | /etc/dbtool/config.json:2:24: alerts.rules[0]: a rule needs \"match\" or \"matchRegex\" (labels the alert must have)",
            "window negative | {\"dedupWindow\": -1} | /etc/dbtool/config.json:2:26: alerts.dedupWindow: expected a number of seconds from 0 to 604800",
    })
    void mistakesAreConfigurationErrorsNamingFileLineAndField(String what, String alerts, String message) {
        DbtoolException e = assertThrows(DbtoolException.class, () -> AlertsConfig.of(parse(alerts)));
        assertEquals(78, e.exitCode());
        assertEquals(message, e.getMessage());
    }

    @Test
    void aMisspeltBlockIsRefusedByCore() {
        DbtoolException e = assertThrows(DbtoolException.class, () -> ConfigLoader.parse(Path.of("c.json"), new StringReader("{\"alert\": {}}")));
        assertEquals(78, e.exitCode());
        assertEquals("c.json:1:9: alert: unknown field; expected one of alerts, defaults, grafana, prometheus, state, targets, tracing, triage, vault", e.getMessage());
    }
}
