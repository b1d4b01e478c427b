package dbtool.auth.vault;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A token a login produced, with what Vault said about it. {@code toString} never shows the token.
 *
 * @param token     the token itself; whoever holds the record clears it when done
 * @param ttl       how long it lives (zero: no expiry)
 * @param renewable whether renew-self extends it
 * @param policies  its policies
 * @param identity  who it belongs to, for display (e.g. {@code alice (ldap)})
 */
record VaultToken(char[] token, Duration ttl, boolean renewable, List<String> policies, String identity) {

    VaultToken {
        policies = List.copyOf(policies);
    }

    /** From a login's {@code auth} object ({@code client_token}, {@code lease_duration}, {@code renewable}, {@code policies}). */
    static VaultToken fromAuth(JsonObject auth, String identity) {
        if (auth == null || !auth.has("client_token") || auth.get("client_token").isJsonNull()) {
            throw new IllegalStateException("Vault's login answer holds no token");
        }
        long seconds = auth.has("lease_duration") ? auth.get("lease_duration").getAsLong() : 0;
        boolean renewable = auth.has("renewable") && auth.get("renewable").getAsBoolean();
        return new VaultToken(auth.get("client_token").getAsString().toCharArray(), Duration.ofSeconds(seconds), renewable,
                strings(auth.has("token_policies") ? auth.get("token_policies") : auth.get("policies")), identity);
    }

    static List<String> strings(com.google.gson.JsonElement element) {
        List<String> values = new ArrayList<>();
        if (element != null && element.isJsonArray()) {
            for (var value : (JsonArray) element) {
                values.add(value.getAsString());
            }
        }
        return values;
    }

    void clear() {
        java.util.Arrays.fill(token, '\0');
    }

    @Override
    public String toString() {
        return "VaultToken[identity=" + identity + ", ttl=" + ttl + ", renewable=" + renewable + ", policies=" + policies + "]";
    }
}
