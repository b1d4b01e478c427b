package dbtool.spi;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One thing a check found, with what proves it and what to do about it.
 *
 * @param code           stable, machine-readable identifier, e.g. {@code PG_BLOCKING_CHAIN};
 *                       upper snake case, prefixed by the engine
 * @param severity       how bad it is
 * @param title          one line for a human
 * @param detail         more context; may be empty
 * @param evidence       the data behind the finding. Values must be JSON-friendly JDK types
 *                       (String, Number, Boolean, List, Map, null). Field names become part of
 *                       the report contract once released; lock findings always carry
 *                       {@code headBlockers}
 * @param recommendation what to do, including the exact statement to run where there is one
 *                       (dbtool never runs it); may be empty
 * @param playbook       a link or docs path to the playbook for this finding; may be empty
 */
public record Finding(String code, Severity severity, String title, String detail,
                      Map<String, Object> evidence, String recommendation, String playbook) {

    /**
     * Checks the required fields and normalises the optional ones: a null detail, recommendation
     * or playbook becomes empty, evidence becomes an unmodifiable copy in the given order. A password
     * written as a literal in the title, detail, recommendation or any string of the evidence (at
     * any depth) is masked by {@link Redaction#redactSql(String)}.
     *
     * @throws NullPointerException when code, severity or title is null
     */
    public Finding {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(title, "title");
        // Evidence quotes server text (statements from pg_stat_statements, pg_stat_activity, a log):
        // a password written in one as a literal is masked here, once, for every plugin.
        title = Redaction.redactSql(title);
        detail = detail == null ? "" : Redaction.redactSql(detail);
        Map<String, Object> masked = new LinkedHashMap<>();
        if (evidence != null) {
            evidence.forEach((key, value) -> masked.put(key, SqlSecrets.maskValue(value)));
        }
        evidence = Collections.unmodifiableMap(masked);
        recommendation = recommendation == null ? "" : Redaction.redactSql(recommendation);
        playbook = playbook == null ? "" : playbook;
    }

    /**
     * Starts a finding; the builder keeps evidence in insertion order.
     *
     * @param code     the finding's stable code, e.g. {@code PG_BLOCKING_CHAIN}
     * @param severity how bad it is
     * @param title    one line for a human
     * @return a builder for the rest of the finding
     */
    public static Builder of(String code, Severity severity, String title) {
        return new Builder(code, severity, title);
    }

    /** Builder for findings with evidence, recommendation and playbook. */
    public static final class Builder {
        private final String code;
        private final Severity severity;
        private final String title;
        private String detail = "";
        private final Map<String, Object> evidence = new LinkedHashMap<>();
        private String recommendation = "";
        private String playbook = "";

        private Builder(String code, Severity severity, String title) {
            this.code = code;
            this.severity = severity;
            this.title = title;
        }

        /**
         * Sets the context that explains why the finding matters.
         *
         * @param detail more context, may span lines; null for none
         * @return this builder
         */
        public Builder detail(String detail) {
            this.detail = detail;
            return this;
        }

        /**
         * Adds one evidence field (a later value for the same key replaces the earlier one).
         *
         * @param key   the field name, part of the report contract once released
         * @param value a JSON-friendly JDK value (String, Number, Boolean, List, Map or null)
         * @return this builder
         */
        public Builder evidence(String key, Object value) {
            evidence.put(key, value);
            return this;
        }

        /**
         * Adds several evidence fields, in the map's iteration order.
         *
         * @param values field names and JSON-friendly JDK values
         * @return this builder
         */
        public Builder evidence(Map<String, ?> values) {
            evidence.putAll(values);
            return this;
        }

        /**
         * Sets what to do: the exact statement to run where there is one. dbtool prints it and
         * never runs it.
         *
         * @param recommendation the advice; null for none
         * @return this builder
         */
        public Builder recommendation(String recommendation) {
            this.recommendation = recommendation;
            return this;
        }

        /**
         * Sets where the finding is explained: a docs path such as
         * {@code docs/playbooks/pg-blocking-chain.md} or a URL.
         *
         * @param playbook the link; null for none
         * @return this builder
         */
        public Builder playbook(String playbook) {
            this.playbook = playbook;
            return this;
        }

        /**
         * Builds the finding.
         *
         * @return the finding, with an unmodifiable copy of the evidence
         */
        public Finding build() {
            return new Finding(code, severity, title, detail, evidence, recommendation, playbook);
        }
    }
}
