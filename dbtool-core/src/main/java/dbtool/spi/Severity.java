package dbtool.spi;

/**
 * How bad a finding is, in the order of the monitoring-plugin convention.
 *
 * <p>{@link #exitCode()} is the process exit code of a report whose worst finding has this
 * severity. {@link #rank()} orders severities for "worst first" sorting, where UNKNOWN
 * (a check that could not tell) ranks between WARNING and CRITICAL: an operator should look
 * at it before warnings, but it is not proof of an outage.
 */
public enum Severity {
    OK(0, 0),
    INFO(0, 1),
    WARNING(1, 2),
    UNKNOWN(3, 3),
    CRITICAL(2, 4);

    private final int exitCode;
    private final int rank;

    Severity(int exitCode, int rank) {
        this.exitCode = exitCode;
        this.rank = rank;
    }

    /** Exit code of the monitoring-plugin convention: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN. */
    public int exitCode() {
        return exitCode;
    }

    /** Higher is worse. */
    public int rank() {
        return rank;
    }

    /** The worse of the two. */
    public Severity worst(Severity other) {
        return other != null && other.rank > rank ? other : this;
    }
}
