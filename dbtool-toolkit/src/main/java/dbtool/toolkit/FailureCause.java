package dbtool.toolkit;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Why a connection failed, in the words of a finding: the finding's code (e.g.
 * {@code PG_AUTH_FAILED}), the stage that failed ({@code dns}, {@code network}, {@code tls},
 * {@code authentication}...) and what it means, for the title "Cannot log in to HOST: MEANING".
 *
 * <p>An engine names its causes in an enum that implements {@link Kind} and keeps their codes and
 * meanings in one table ({@link #describe}), so the causes of every engine read alike and a playbook
 * test can list them. The classifiers below are the network failures every driver reports the same
 * way: an unknown host, a timeout, a refused connection.
 *
 * @param code    the finding code
 * @param stage   the stage of the connection that failed, as it appears in the stages evidence
 * @param meaning what the failure means, one clause in plain words
 */
public record FailureCause(String code, String stage, String meaning) {

    /**
     * An engine's cause: a constant of an enum that describes its constants once, in its static
     * initializer, with {@link #describe(Class, String)}.
     */
    public interface Kind {

        /**
         * The code, stage and meaning of this cause.
         *
         * @return the cause as its enum's table describes it
         */
        default FailureCause cause() {
            Map<?, FailureCause> table = TABLES.get(((Enum<?>) this).getDeclaringClass());
            if (table == null) {
                throw new IllegalStateException(getClass().getName() + " has no cause table: call FailureCause.describe in its static initializer");
            }
            return table.get(this);
        }

        /**
         * The finding code of this cause.
         *
         * @return the code, e.g. {@code PG_AUTH_FAILED}
         */
        default String code() {
            return cause().code();
        }

        /**
         * The connection stage where this cause shows.
         *
         * @return the stage's name, e.g. {@code login}
         */
        default String stage() {
            return cause().stage();
        }

        /**
         * What this cause means, for the finding's title.
         *
         * @return one line
         */
        default String meaning() {
            return cause().meaning();
        }
    }

    /**
     * A stand-in for an exception whose message may not be kept (it might echo a secret), which
     * still tells the classifiers the original exception's type.
     */
    public interface StandIn {
        /**
         * The type of the exception this stands in for.
         *
         * @return the original exception's class
         */
        Class<? extends Throwable> type();
    }

    private static final Map<Class<?>, Map<?, FailureCause>> TABLES = new ConcurrentHashMap<>();

    /**
     * Describes the causes of an enum of {@link Kind}s with a {@link #table}; called once, from the enum's static initializer.
     *
     * @param <E> the enum
     * @param type the enum's class
     * @param table the table, as {@link #table} reads it
     */
    public static <E extends Enum<E> & Kind> void describe(Class<E> type, String table) {
        TABLES.put(type, table(type, table));
    }

    /**
     * The causes of an enum from a table: one line per constant, columns separated by two or more
     * spaces: NAME, CODE, stage, meaning. Every constant must have exactly one line.
     *
     * @param <E>   the enum
     * @param type  the enum's class
     * @param table the table's text
     * @return each constant's cause
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

    /**
     * The innermost cause of a failure.
     *
     * @param error the failure, as the driver threw it
     * @return the last of its causes, or {@code error} itself
     */
    public static Throwable root(Throwable error) {
        Throwable cause = error;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause;
    }

    /**
     * The type of the innermost cause, seen through {@link StandIn}s.
     *
     * @param error the failure, as the driver threw it
     * @return the class of {@link #root}, or the type a stand-in stands for
     */
    public static Class<? extends Throwable> rootType(Throwable error) {
        Throwable root = root(error);
        return root instanceof StandIn standIn ? standIn.type() : root.getClass();
    }

    /**
     * Whether the host name did not resolve.
     *
     * @param error the failure, as the driver threw it
     * @return true for an unknown host
     */
    public static boolean unknownHost(Throwable error) {
        return UnknownHostException.class.isAssignableFrom(rootType(error));
    }

    /**
     * Whether nothing answered in time: a socket timeout, or a driver that says so in words.
     *
     * @param error the failure, as the driver threw it
     * @return true for a timeout
     */
    public static boolean timedOut(Throwable error) {
        String message = lowerCaseMessage(error);
        return SocketTimeoutException.class.isAssignableFrom(rootType(error)) || message.contains("timed out") || message.contains("timeout");
    }

    /**
     * Whether nothing accepted the TCP connection, or there is no route to the host.
     *
     * @param error the failure, as the driver threw it
     * @return true for a refused or unroutable connection
     */
    public static boolean refused(Throwable error) {
        Class<? extends Throwable> root = rootType(error);
        return ConnectException.class.isAssignableFrom(root) || NoRouteToHostException.class.isAssignableFrom(root)
                || lowerCaseMessage(error).contains("connection refused");
    }

    /**
     * The failure's own message in lower case, for matching driver wording.
     *
     * @param error the failure, as the driver threw it
     * @return the message, "null" when it has none
     */
    public static String lowerCaseMessage(Throwable error) {
        return String.valueOf(error.getMessage()).toLowerCase(Locale.ROOT);
    }

    /**
     * One line for humans: the message (or the exception's type when it has none) with its line breaks folded.
     *
     * @param error the failure, as the driver threw it
     * @return the line
     */
    public static String describe(Throwable error) {
        String message = error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage();
        return message.replaceAll("\\s+", " ").trim();
    }
}
