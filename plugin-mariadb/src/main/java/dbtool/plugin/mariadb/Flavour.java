package dbtool.plugin.mariadb;

import java.util.List;
import java.util.Locale;

/** Which server answered: MariaDB and MySQL share the protocol but not every view or variable. */
public enum Flavour {
    MARIADB("MariaDB"),
    MYSQL("MySQL");

    private final String displayName;

    Flavour(String displayName) {
        this.displayName = displayName;
    }

    public String displayName() {
        return displayName;
    }

    /** From {@code VERSION()} or the greeting: MariaDB says so in its version string ("10.11.6-MariaDB-0+deb12u1"). */
    public static Flavour of(String version) {
        return version != null && version.toLowerCase(Locale.ROOT).contains("mariadb") ? MARIADB : MYSQL;
    }

    /**
     * The statements that bound every statement of the session on the server: MariaDB's
     * max_statement_time (seconds, any statement), MySQL's max_execution_time (milliseconds,
     * SELECT only), and the two lock waits, which both servers count in whole seconds: a lock
     * timeout under a second is rounded up to one, the shortest wait the server knows.
     */
    public List<String> safetyStatements(long statementMillis, long lockMillis) {
        long lockSeconds = Math.max(1, (lockMillis + 999) / 1000);
        String statementLimit = switch (this) {
            case MARIADB -> "max_statement_time = " + String.format(Locale.ROOT, "%.3f", statementMillis / 1000.0);
            case MYSQL -> "max_execution_time = " + statementMillis;
        };
        return List.of(
                "SET SESSION " + statementLimit + ", innodb_lock_wait_timeout = " + lockSeconds
                        + ", lock_wait_timeout = " + lockSeconds,
                "SET SESSION TRANSACTION READ ONLY");
    }
}
