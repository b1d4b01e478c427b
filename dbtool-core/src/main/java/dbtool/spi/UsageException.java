package dbtool.spi;

/**
 * Thrown by a plugin for a mistake on the command line (a flag that does not apply, a value of the
 * wrong form): dbtool ends with this one-line message and exit code 64. Other
 * {@link IllegalArgumentException}s from a plugin are failures (exit 3): only this one says "the user
 * typed it wrong". The message names the flag and what was expected, and never holds a secret
 * (nor the value typed, which may be one).
 */
public class UsageException extends IllegalArgumentException {

    /**
     * An exception with the line dbtool prints.
     *
     * @param message the mistake in one line, naming the option; never a secret
     */
    public UsageException(String message) {
        super(message);
    }
}
