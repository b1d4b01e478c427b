package dbtool.spi;

import java.util.Map;

/**
 * What a credential plugin can tell about the user's current identity, for {@code dbtool auth
 * status}: which Vault and token, which Kerberos principal and ticket, and where each came from.
 * Provided with {@code provides dbtool.spi.IdentityReporter with ...}.
 */
public interface IdentityReporter {

    /**
     * What it reports on.
     *
     * @return a name such as {@code vault} or {@code kerberos}
     */
    String name();

    /**
     * Facts in display order, e.g. {@code address}, {@code token source}, {@code expires}. Values
     * must never be secrets.
     *
     * @return the facts by name; empty for "not configured here"
     * @throws Exception with a one-line message when the identity cannot be checked (e.g. Vault
     *                   unreachable); the message must not contain a secret
     */
    Map<String, String> describe() throws Exception;
}
