package dbtool.plugin.snowflake.checks;

import dbtool.spi.CheckContext;
import dbtool.spi.CheckResult;
import dbtool.spi.Finding;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Rows as the session hands them to a check (column label to plain value), and thresholds. */
final class Fixtures {

    static final Instant NOW = Instant.parse("2026-11-22T12:00:00Z");

    private Fixtures() {
    }

    /** A row from alternating column names and values, in that order. */
    static Map<String, Object> row(Object... namesAndValues) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            Object value = namesAndValues[i + 1];
            row.put((String) namesAndValues[i], value instanceof Instant instant ? instant.toString() : value);
        }
        return row;
    }

    static CheckContext thresholds(Map<String, String> settings) {
        return new CheckContext() {
            @Override
            public Instant deadline() {
                return Instant.now().plusSeconds(60);
            }

            @Override
            public Map<String, String> settings() {
                return settings;
            }
        };
    }

    static CheckContext defaults() {
        return thresholds(Map.of());
    }

    static Optional<Finding> finding(CheckResult result, String code) {
        return result.findings().stream().filter(f -> f.code().equals(code)).findFirst();
    }

    static Finding require(CheckResult result, String code) {
        return finding(result, code).orElseThrow(() -> new AssertionError("no " + code + " in " + result.findings()));
    }
}
