package dbtool.spi;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one check returns: its findings and the numbers it measured.
 *
 * @param findings what the check found; an empty list means "nothing to report" (status OK)
 * @param metrics  measured values worth graphing (counts, ratios, durations), JSON-friendly JDK
 *                 types, in insertion order
 */
public record CheckResult(List<Finding> findings, Map<String, Object> metrics) {

    /** Copies both: a null list or map becomes empty, metrics keep their insertion order. */
    public CheckResult {
        findings = findings == null ? List.of() : List.copyOf(findings);
        metrics = metrics == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
    }

    /**
     * A result with nothing to report.
     *
     * @return a result without findings or metrics (status OK)
     */
    public static CheckResult healthy() {
        return new CheckResult(List.of(), Map.of());
    }

    /**
     * Starts a result to collect findings and metrics into while a check runs.
     *
     * @return an empty builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The check's status: the worst severity among the findings, where INFO counts as OK (the
     * monitoring convention has no INFO state); OK when there are none.
     *
     * @return the status the report shows for this check
     */
    public Severity status() {
        Severity worst = Severity.OK;
        for (Finding finding : findings) {
            worst = worst.worst(finding.severity());
        }
        return worst == Severity.INFO ? Severity.OK : worst;
    }

    /** Collects findings and metrics while a check runs. */
    public static final class Builder {
        private final List<Finding> findings = new ArrayList<>();
        private final Map<String, Object> metrics = new LinkedHashMap<>();

        private Builder() {
        }

        /**
         * Adds a finding; the report shows findings worst first, equals in the order added.
         *
         * @param finding what the check found
         * @return this builder
         */
        public Builder add(Finding finding) {
            findings.add(finding);
            return this;
        }

        /**
         * Records a measured value, also when nothing was found (a later value for the same name
         * replaces the earlier one).
         *
         * @param name  lower snake case with its unit where it has one, e.g. {@code longest_wait_seconds}
         * @param value a JSON-friendly JDK value, usually a number
         * @return this builder
         */
        public Builder metric(String name, Object value) {
            metrics.put(name, value);
            return this;
        }

        /**
         * Builds the result.
         *
         * @return the findings and metrics collected so far
         */
        public CheckResult build() {
            return new CheckResult(findings, metrics);
        }
    }
}
