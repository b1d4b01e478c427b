package dbtool.plugin.mongo;

import dbtool.spi.Redaction;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Scrubs the secrets a session knows of (the URL's password, the credential's password) from
 * every message it lets out. The driver already hides passwords in its own messages; this is the
 * second line, for messages that quote the connection string or a mis-parsed part of it.
 */
public final class Secrets {

    private static final String MASK = Redaction.MASK;

    private final List<String> secrets = new ArrayList<>();

    /** Remembers a secret, and the pieces a URL parser could cut it into at '@' and ':'. */
    public Secrets add(String secret) {
        if (secret == null || secret.isEmpty()) {
            return this;
        }
        secrets.add(secret);
        for (String piece : secret.split("[@:/]")) {
            if (piece.length() >= 3) {
                secrets.add(piece);
            }
        }
        secrets.sort(Comparator.comparingInt(String::length).reversed());
        return this;
    }

    public Secrets add(char[] secret) {
        return secret == null ? this : add(new String(secret));
    }

    /** The text with every known secret replaced by ****, and redacted by core's one rule ({@link Redaction}). */
    public String scrub(String text) {
        if (text == null) {
            return "";
        }
        String result = Redaction.redactText(text);
        for (String secret : secrets) {
            result = result.replace(secret, MASK);
        }
        return result;
    }

    /** One line: the exception's message (or type), scrubbed, whitespace collapsed. */
    public String describe(Throwable error) {
        String message = error.getMessage() == null || error.getMessage().isBlank()
                ? error.getClass().getSimpleName() : error.getMessage();
        return scrub(message).replaceAll("\\s+", " ").trim();
    }
}
