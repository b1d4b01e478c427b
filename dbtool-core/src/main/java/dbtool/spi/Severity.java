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
    /** Nothing wrong; exit code 0. */
    OK(0, 0),
    /** Worth knowing, not a problem (a server version, a recent restart); counts as OK, exit code 0. */
    INFO(0, 1),
    /** Needs attention soon, not yet an outage; exit code 1. */
    WARNING(1, 2),
    /** The check could not tell (it failed or ran out of time); exit code 3. */
    UNKNOWN(3, 3),
    /** Users are affected now or will be without action; exit code 2. */
    CRITICAL(2, 4);

    private final int exitCode;
    private final int rank;

    Severity(int exitCode, int rank) {
        this.exitCode = exitCode;
        this.rank = rank;
    }

    /**
     * The exit code of the monitoring-plugin convention.
     *
     * @return 0 OK (and INFO), 1 WARNING, 2 CRITICAL, 3 UNKNOWN
     */
    public int exitCode() {
        return exitCode;
    }

    /**
     * How bad this severity is, for ordering.
     *
     * @return the rank; higher is worse
     */
    public int rank() {
        return rank;
    }

    /**
     * The worse of the two.
     *
     * @param other another severity
     * @return this or {@code other}, whichever ranks higher
     */
    public Severity worst(Severity other) {
        return other != null && other.rank > rank ? other : this;
    }
}
