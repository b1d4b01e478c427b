package dbtool.spi;

/**
 * Thrown by {@link EnginePlugin#open} when the target's configuration cannot work as written (an
 * option with a value the plugin does not know, a driver it names that is not installed): dbtool
 * then ends with one line and exit code 78 instead of reporting a failed session. The message is
 * one line, names the target and the field, says what was expected, and never holds a secret.
 *
 * <p>It is an {@link IllegalArgumentException}, so a dbtool that predates it still reports the
 * message (as a failed session).
 */
public class TargetConfigurationException extends ConfigurationException {

    /**
     * An exception with the line dbtool prints.
     *
     * @param message the mistake in one line, naming the setting; never a secret
     */
    public TargetConfigurationException(String message) {
        super(message);
    }
}
