package dbtool.auth.vault;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * A token from a Vault login. The token is a {@code char[]} so that it can be wiped
 * ({@link #close()}); {@link #toString()} never shows it.
 *
 * @param token     the client token
 * @param ttl       its lease duration
 * @param renewable whether renew-self can extend it
 * @param policies  the policies Vault attached
 */
public record VaultToken(char[] token, Duration ttl, boolean renewable, List<String> policies) implements AutoCloseable {

    public VaultToken {
        policies = List.copyOf(policies);
    }

    /** Wipes the token. */
    @Override
    public void close() {
        Arrays.fill(token, '\0');
    }

    @Override
    public String toString() {
        return "VaultToken[token=****, ttl=" + ttl + ", renewable=" + renewable + ", policies=" + policies + "]";
    }
}
