package dbtool.auth;

import java.util.regex.Pattern;

/**
 * Checks what is meant to name an environment variable ({@code --password-env}, a target's
 * {@code passwordEnv}). In a hurry, people type the password itself there; so a value that is not a
 * variable name is refused without being repeated, since it may well be the secret.
 */
public final class EnvironmentVariableName {

    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private EnvironmentVariableName() {
    }

    /** Whether the text is a POSIX-style variable name. */
    public static boolean isValid(String name) {
        return name != null && NAME.matcher(name).matches();
    }

    /**
     * The message for a value of {@code where} that is not a variable name; it never contains the value.
     *
     * @param where the flag or field, e.g. {@code --password-env} or {@code targets.orders.auth.passwordEnv}
     */
    public static String notANameMessage(String where) {
        return where + ": the value is not an environment variable name (letters, digits and _, e.g. MY_PASSWORD);"
                + " give the name of a variable that holds the secret, never the secret itself";
    }
}
