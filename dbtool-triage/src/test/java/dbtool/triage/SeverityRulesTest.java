package dbtool.triage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dbtool.core.DbtoolException;
import dbtool.spi.Severity;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The default rules as a table: facts in, priority out. */
class SeverityRulesTest {

    @ParameterizedTest(name = "{0} {1} blocked={2} share={3} lag={4} min={5} alert={6} -> {7}")
    @CsvSource(nullValues = "-", value = {
            // status,  tier,    blocked, share, lag, minutes, alertSeverity, priority, pagerDuty
            "CRITICAL, prod,    120,     0,     0,   9,       -,        P1, critical",
            "CRITICAL, prod,    3,       0.95,  0,   1,       -,        P1, critical",
            "CRITICAL, prod,    3,       0.5,   0,   20,      -,        P1, critical",
            "CRITICAL, prod,    3,       0.5,   0,   2,       -,        P2, error",
            "CRITICAL, staging, 3,       0,     0,   2,       critical, P2, error",
            "CRITICAL, staging, 50,      0,     0,   2,       -,        P2, error",
            "CRITICAL, staging, 3,       0,     0,   2,       -,        P3, warning",
            "WARNING,  prod,    0,       0,     0,   0,       -,        P3, warning",
            "OK,       prod,    0,       0,     0,   0,       critical, P3, warning",
            "WARNING,  dev,     0,       0,     0,   0,       -,        P4, info",
            "OK,       -,       0,       0,     0,   0,       warning,  P4, info",
            "INFO,     prod,    0,       0,     0,   0,       -,        P5, info",
            "UNKNOWN,  prod,    0,       0,     0,   0,       -,        P3, warning",
    })
    void theDefaultsGiveThePriorityOfTheImpact(Severity status, String tier, long blocked, double share, double lag, long minutes,
                                               String alertSeverity, Priority expected, String pagerDuty) {
        Facts facts = new Facts(status, blocked, share, lag, Duration.ofMinutes(minutes), tier == null ? "" : tier,
                alertSeverity == null ? "" : alertSeverity);
        Classification classification = SeverityRules.DEFAULTS.classify(facts);
        assertEquals(expected, classification.priority(), classification.reasons().toString());
        assertEquals(pagerDuty, classification.priority().pagerDuty());
        assertTrue(classification.summary().startsWith(expected + ": "), classification.summary());
    }

    @Test
    void theReasonSaysWhatMatteredInWords() {
        Facts facts = Facts.of(Fixtures.incident("orders", 120), Map.of(), null, Instant.parse("2026-12-07T10:00:00Z"), "prod");
        Classification classification = SeverityRules.DEFAULTS.classify(facts);
        assertEquals("P1: 120 sessions blocked for 9 min on a prod target", classification.summary());
        assertTrue(classification.reasons().contains("connection slots in use: 92 %"), classification.reasons().toString());
    }

    @Test
    void configuredRulesReplaceTheDefaultsInOrder() {
        var config = Fixtures.config("""
                {"triage": {"severity": {"rules": [
                   {"priority": "P2", "when": {"status": "WARNING", "tier": ["prod", "payments"]}},
                   {"priority": "p5"}]},
                 "receivers": {"r": {"type": "webhook", "url": "http://127.0.0.1:1/x", "hmacKey": {"env": "K"}}},
                 "routes": {"receiver": "r"}}}""");
        SeverityRules rules = TriageConfig.of(config).orElseThrow().rules();
        assertEquals(Priority.P2, rules.classify(new Facts(Severity.WARNING, 0, 0, 0, Duration.ZERO, "payments", "")).priority());
        assertEquals(Priority.P5, rules.classify(new Facts(Severity.CRITICAL, 500, 1, 0, Duration.ofHours(1), "dev", "")).priority());
    }

    @Test
    void aWrongRuleIsOneLineNamingItsField() {
        var config = Fixtures.config("""
                {"triage": {"severity": {"rules": [{"priority": "P0"}]},
                 "receivers": {"r": {"type": "webhook", "url": "http://127.0.0.1:1/x", "hmacKey": {"env": "K"}}},
                 "routes": {"receiver": "r"}}}""");
        DbtoolException e = assertThrows(DbtoolException.class, () -> TriageConfig.of(config));
        assertEquals(78, e.exitCode());
        assertTrue(e.getMessage().startsWith("config.json:1:"), e.getMessage());
        assertTrue(e.getMessage().contains("triage.severity.rules[0].priority: expected P1, P2, P3, P4 or P5"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }

    @Test
    void theTierComesFromTheTargetsTags() {
        assertEquals("prod", SeverityRules.tier(List.of("orders", "production"), TriageConfig.DEFAULT_TIERS));
        assertEquals("staging", SeverityRules.tier(List.of("tier:staging"), TriageConfig.DEFAULT_TIERS));
        assertEquals("", SeverityRules.tier(List.of("orders"), TriageConfig.DEFAULT_TIERS));
    }
}
