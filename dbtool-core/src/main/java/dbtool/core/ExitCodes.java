package dbtool.core;

/** Process exit codes: the monitoring-plugin convention plus BSD sysexits for bad input. */
public final class ExitCodes {
    public static final int OK = 0;
    public static final int WARNING = 1;
    public static final int CRITICAL = 2;
    public static final int UNKNOWN = 3;
    /** EX_USAGE: the command line was wrong. */
    public static final int USAGE = 64;
    /** EX_NOINPUT: an input file was missing or unreadable. */
    public static final int NO_INPUT = 66;
    /** EX_SOFTWARE: a bug in dbtool; the message says where to report it. */
    public static final int SOFTWARE = 70;
    /** EX_CANTCREAT: an output file could not be written. */
    public static final int CANT_CREATE = 73;
    /** EX_IOERR: the report could not be written to standard output (a full disk, a closed pipe). */
    public static final int IO_ERROR = 74;
    /** EX_CONFIG: the configuration file was wrong. */
    public static final int CONFIG = 78;
    /** Interrupted by Ctrl-C (128 + SIGINT), as shells report it. */
    public static final int INTERRUPTED = 130;

    private ExitCodes() {
    }
}
