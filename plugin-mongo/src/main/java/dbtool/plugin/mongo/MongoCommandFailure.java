package dbtool.plugin.mongo;

import com.mongodb.MongoCommandException;

/**
 * A command dbtool sent that did not succeed, as one line a check can show: which command, the
 * server's message and code, and what to do when the cause is a missing privilege. Never carries
 * the driver's dump of the full reply, never a secret.
 */
public final class MongoCommandFailure extends Exception {

    private final int code;
    private final MongoErrors.Cause cause;

    public MongoCommandFailure(String message, int code) {
        this(message, code, null);
    }

    public MongoCommandFailure(String message, int code, MongoErrors.Cause cause) {
        super(message, null, false, false);
        this.code = code;
        this.cause = cause;
    }

    static MongoCommandFailure of(String command, Throwable error, Secrets secrets) {
        return of(command, error, secrets, null);
    }

    static MongoCommandFailure of(String command, Throwable error, Secrets secrets, MongoErrors.Cause cause) {
        int code = error instanceof MongoCommandException e ? e.getErrorCode() : -1;
        String hint = code == MongoErrors.UNAUTHORIZED
                ? "; grant the dbtool user the clusterMonitor role (read-only): db.getSiblingDB('admin').grantRolesToUser('USER', ['clusterMonitor'])"
                : code == MongoErrors.MAX_TIME_MS_EXPIRED ? "; the server is slow to answer, or the command waited for a lock" : "";
        return new MongoCommandFailure(command + " failed: " + secrets.scrub(MongoErrors.oneLine(error)) + hint, code, cause);
    }

    /**
     * Why the command could not reach the server (network, TLS, authentication...), or null when
     * the server answered with an error.
     */
    public MongoErrors.Cause connectCause() {
        return cause;
    }

    /** The server's error code, or -1 when the failure was not the server's answer. */
    public int code() {
        return code;
    }
}
