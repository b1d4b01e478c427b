package dbtool.testkit.vault;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.sun.net.httpserver.Headers;

/**
 * An auth method of the Vault test server, mounted at {@code auth/MOUNT/login}: it checks what
 * the client presented and issues a token from {@link VaultTokens}. Registered with
 * {@link VaultTestServer#addLogin}.
 */
@FunctionalInterface
public interface LoginEndpoint {

    /**
     * Answers {@code POST/PUT v1/auth/MOUNT/login[/REST]}.
     *
     * @param mount   the mount the client named
     * @param rest    what follows {@code login/} (e.g. the LDAP user name); empty when nothing does
     * @param body    the JSON body (empty when none)
     * @param headers the request headers (e.g. {@code Authorization: Negotiate ...})
     * @return the {@code auth} object of Vault's answer ({@code client_token}, {@code policies}, ...)
     * @throws VaultError to answer an error the way Vault does
     */
    JsonObject login(String mount, String rest, JsonObject body, Headers headers, VaultTokens tokens) throws VaultError;

    /** Vault's {@code auth} object for a token just issued. */
    static JsonObject auth(VaultTokens.Token token) {
        JsonObject auth = new JsonObject();
        auth.addProperty("client_token", token.id());
        auth.addProperty("accessor", Integer.toHexString(token.id().hashCode()));
        JsonArray policies = new JsonArray();
        token.policies().forEach(policies::add);
        auth.add("policies", policies);
        auth.add("token_policies", policies.deepCopy());
        JsonObject metadata = new JsonObject();
        token.meta().forEach(metadata::addProperty);
        auth.add("metadata", metadata);
        auth.addProperty("lease_duration", token.creationTtl().toSeconds());
        auth.addProperty("renewable", token.renewable());
        auth.addProperty("token_type", "service");
        auth.addProperty("orphan", true);
        return auth;
    }
}
