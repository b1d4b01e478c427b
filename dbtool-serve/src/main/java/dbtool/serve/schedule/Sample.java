package dbtool.serve.schedule;

import dbtool.core.report.Report;
import dbtool.spi.Finding;
import dbtool.spi.Severity;
import java.time.Instant;
import java.util.Comparator;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of one scheduled run of one target: its report, or, when the target could not even be
 * planned (unknown name, bad configuration), why. What /metrics, /health and the API serve.
 *
 * @param report the report, or null when the run could not start
 * @param error  why the run could not start (one line, no secret), or null
 * @param at       when the run ended
 * @param restored read back from the state store at start (a run before this process, or by a
 *                 sibling replica), not run by this process yet
 */
public record Sample(String target, Report report, String error, Instant at, boolean restored) {

    public Sample {
        Objects.requireNonNull(target);
        Objects.requireNonNull(at);
        if ((report == null) == (error == null)) {
            throw new IllegalArgumentException("a sample has a report or an error");
        }
    }

    /** @param target the target as it was named to the scheduler (a URL's report may name it otherwise) */
    public static Sample of(String target, Report report, Instant at) {
        return new Sample(target, report, null, at, false);
    }

    public static Sample failed(String target, String error, Instant at) {
        return new Sample(target, null, error, at, false);
    }

    /** A report kept in the state store, run at {@code at} before this process started. */
    public static Sample restored(String target, Report report, Instant at) {
        return new Sample(target, report, null, at, true);
    }

    public Severity status() {
        return report == null ? Severity.UNKNOWN : report.status();
    }

    /** The engine id, or "" when the target could not be resolved. */
    public String engine() {
        return report == null || report.target().engine() == null ? "" : report.target().engine();
    }

    /** The most severe finding of the report (the first of equals), if any. */
    public Optional<Finding> worstFinding() {
        if (report == null) {
            return Optional.empty();
        }
        return report.checks().stream().flatMap(check -> check.findings().stream())
                .min(Comparator.comparingInt((Finding finding) -> -finding.severity().rank()));
    }
}
