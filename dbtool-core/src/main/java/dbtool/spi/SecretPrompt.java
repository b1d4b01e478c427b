package dbtool.spi;

import dbtool.core.shell.MaskedPrompt;
import java.util.Optional;

/**
 * A masked prompt on the user's terminal, offered by dbtool to plugins: a credential provider or a
 * login handler that needs a password or a token typed asks {@link #terminal()} instead of
 * {@link java.io.Console#readPassword}, which ignores Ctrl-C until Enter is pressed. In the
 * {@code dbtool>} shell it reads through the shell's own terminal, so Ctrl-C cancels at once and
 * the shell's prompt comes back.
 */
@FunctionalInterface
public interface SecretPrompt {

    /**
     * Asks for a secret; nothing typed is shown.
     *
     * @param prompt what to ask, e.g. {@code "Password for alice@orders: "}
     * @return the secret typed (wipe it when done), or empty when no human is at a terminal
     * @throws InterruptedException when the user cancels (Ctrl-C, or Ctrl-D on an empty line): let it
     *                              propagate, and dbtool ends the command with one line, "cancelled"
     *                              (exit 130; the shell shows its prompt again)
     */
    Optional<char[]> read(String prompt) throws InterruptedException;

    /**
     * The prompt dbtool offers.
     *
     * @return the prompt on the terminal dbtool runs on: the shell's while it runs, else the one dbtool
     *         was started on
     */
    static SecretPrompt terminal() {
        return MaskedPrompt.INSTANCE;
    }
}
