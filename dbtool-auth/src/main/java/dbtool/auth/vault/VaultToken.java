package dbtool.auth.vault;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A token a login produced (Kerberos, LDAP or token), with what Vault said about it. The token is
 * a {@code char[]} so that it can be wiped ({@link #close()}); {@code toString} never shows it.
 *
 * @param token     the client token; whoever holds the record closes it when done
 * @param ttl       how long it lives (zero: no expiry)
 * @param renewable whether renew-self extends it
 * @param policies  the policies Vault attached
 * @param identity  who it belongs to, for display (e.g. {@code alice (ldap, auth/ldap)})
 */
public record VaultToken(char[] token, Duration ttl, boolean renewable, List<String> policies, String identity)
        implements AutoCloseable {

    public VaultToken {
        policies = List.copyOf(policies);
    }

    /**
     * From a login's {@code auth} object ({@code client_token}, {@code lease_duration}, {@code renewable},
     * {@code token_policies} or {@code policies}).
     *
     * @param what the login, for the message when Vault's answer holds no token (e.g. "the Kerberos login at auth/kerberos/login")
     */
    static VaultToken fromAuth(JsonObject auth, String identity, String what) {
        if (auth == null || !auth.has("client_token") || auth.get("client_token").isJsonNull()) {
            throw new IllegalStateException("Vault answered " + what + " without a token");
        }
        long seconds = auth.has("lease_duration") ? auth.get("lease_duration").getAsLong() : 0;
        boolean renewable = auth.has("renewable") && auth.get("renewable").getAsBoolean();
        return new VaultToken(auth.get("client_token").getAsString().toCharArray(), Duration.ofSeconds(seconds), renewable,
                strings(auth.has("token_policies") ? auth.get("token_policies") : auth.get("policies")), identity);
    }

    /** The strings of a JSON array; empty for anything else. */
    static List<String> strings(JsonElement element) {
        List<String> values = new ArrayList<>();
        if (element != null && element.isJsonArray()) {
            for (JsonElement value : (JsonArray) element) {
                values.add(value.getAsString());
            }
        }
        return values;
    }

    /** Wipes the token. */
    @Override
    public void close() {
        Arrays.fill(token, '\0');
    }

    @Override
    public String toString() {
        return "VaultToken[token=****, identity=" + identity + ", ttl=" + ttl + ", renewable=" + renewable + ", policies="
                + policies + "]";
    }
}
