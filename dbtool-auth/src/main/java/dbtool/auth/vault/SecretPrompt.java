package dbtool.auth.vault;

import java.io.Console;

/** Reads a secret from the user without echoing it. */
@FunctionalInterface
interface SecretPrompt {

    /** The secret typed, or null when there is no terminal to ask on. */
    char[] read(String prompt);

    /** The terminal's masked input ({@link Console#readPassword}: echo is off while the user types). */
    static SecretPrompt console() {
        return prompt -> {
            Console console = System.console();
            return console == null ? null : console.readPassword("%s", prompt);
        };
    }
}
