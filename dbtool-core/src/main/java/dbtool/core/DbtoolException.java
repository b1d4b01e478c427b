package dbtool.core;

/**
 * A failure the user can fix, reported as one line (no stack trace) with an exit code.
 * Messages must never contain a secret.
 */
public class DbtoolException extends RuntimeException {
    private final int exitCode;

    public DbtoolException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public DbtoolException(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }

    /** A command-line mistake: exit 64. */
    public static DbtoolException usage(String message) {
        return new DbtoolException(ExitCodes.USAGE, message);
    }

    /** A configuration mistake: exit 78. */
    public static DbtoolException config(String message) {
        return new DbtoolException(ExitCodes.CONFIG, message);
    }
}
