package dbtool.toolkit;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * Why a connection failed, in the words of a finding: the finding's code (e.g.
 * {@code PG_AUTH_FAILED}), the stage that failed ({@code dns}, {@code network}, {@code tls},
 * {@code authentication}...) and what it means, for the title "Cannot log in to HOST: MEANING".
 *
 * <p>An engine names its causes in an enum that implements {@link Kind} and keeps their codes and
 * meanings in one table ({@link #table}), so the causes of every engine read alike and a playbook
 * test can list them. The classifiers below are the network failures every driver reports the same
 * way: an unknown host, a timeout, a refused connection.
 *
 * @param code    the finding code
 * @param stage   the stage of the connection that failed, as it appears in the stages evidence
 * @param meaning what the failure means, one clause in plain words
 */
public record FailureCause(String code, String stage, String meaning) {

    /** An engine's cause (an enum constant) and its description. */
    public interface Kind {

        /** The code, stage and meaning of this cause. */
        FailureCause cause();

        default String code() {
            return cause().code();
        }

        default String stage() {
            return cause().stage();
        }

        default String meaning() {
            return cause().meaning();
        }
    }

    /**
     * A stand-in for an exception whose message may not be kept (it might echo a secret), which
     * still tells the classifiers the original exception's type.
     */
    public interface StandIn {
        Class<? extends Throwable> type();
    }

    /**
     * The causes of an enum from a table: one line per constant, columns separated by two or more
     * spaces: NAME, CODE, stage, meaning. Every constant must have exactly one line.
     *
     * @throws IllegalArgumentException for a missing, unknown or malformed line (a programming error,
     *                                  caught by the engine's tests)
     */
    public static <E extends Enum<E>> Map<E, FailureCause> table(Class<E> type, String table) {
        Map<E, FailureCause> causes = new EnumMap<>(type);
        for (String line : table.strip().split("\n")) {
            String[] columns = line.strip().split(" {2,}", 4);
            if (columns.length != 4) {
                throw new IllegalArgumentException(type.getName() + ": a cause needs NAME  CODE  stage  meaning: " + line.strip());
            }
            E constant = Enum.valueOf(type, columns[0]);
            if (causes.put(constant, new FailureCause(columns[1], columns[2], columns[3])) != null) {
                throw new IllegalArgumentException(type.getName() + ": " + constant + " is described twice");
            }
        }
        for (E constant : type.getEnumConstants()) {
            if (!causes.containsKey(constant)) {
                throw new IllegalArgumentException(type.getName() + ": " + constant + " has no line in the table");
            }
        }
        return causes;
    }

    /** The innermost cause of a failure. */
    public static Throwable root(Throwable error) {
        Throwable cause = error;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause;
    }

    /** The type of the innermost cause, seen through {@link StandIn}s. */
    public static Class<? extends Throwable> rootType(Throwable error) {
        Throwable root = root(error);
        return root instanceof StandIn standIn ? standIn.type() : root.getClass();
    }

    /** The host name did not resolve. */
    public static boolean unknownHost(Throwable error) {
        return UnknownHostException.class.isAssignableFrom(rootType(error));
    }

    /** Nothing answered in time: a socket timeout, or a driver that says so in words. */
    public static boolean timedOut(Throwable error) {
        String message = lowerCaseMessage(error);
        return SocketTimeoutException.class.isAssignableFrom(rootType(error)) || message.contains("timed out") || message.contains("timeout");
    }

    /** Nothing accepted the TCP connection, or there is no route to the host. */
    public static boolean refused(Throwable error) {
        Class<? extends Throwable> root = rootType(error);
        return ConnectException.class.isAssignableFrom(root) || NoRouteToHostException.class.isAssignableFrom(root)
                || lowerCaseMessage(error).contains("connection refused");
    }

    /** The failure's own message in lower case (for matching driver wording), "null" when it has none. */
    public static String lowerCaseMessage(Throwable error) {
        return String.valueOf(error.getMessage()).toLowerCase(Locale.ROOT);
    }

    /** One line for humans: the message (or the exception's type when it has none) with its line breaks folded. */
    public static String describe(Throwable error) {
        String message = error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage();
        return message.replaceAll("\\s+", " ").trim();
    }
}
