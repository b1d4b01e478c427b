package dbtool.spi;

/**
 * Thrown by a plugin when what the user configured (the configuration file, an environment
 * variable such as {@code VAULT_ADDR}) cannot work as written: dbtool ends with this one-line
 * message and exit code 78. The message names the file, field or variable, says what was expected,
 * and never holds a secret.
 *
 * <p>It is an {@link IllegalArgumentException}, so code that predates it still treats it as a
 * mistake in what was given rather than as a failure of the database or the network.
 */
public class ConfigurationException extends IllegalArgumentException {

    /**
     * An exception with the line dbtool prints.
     *
     * @param message the mistake in one line, naming the setting; never a secret
     */
    public ConfigurationException(String message) {
        super(message);
    }
}
