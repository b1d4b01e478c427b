package dbtool.testkit.vault;

import com.google.gson.JsonObject;
import com.sun.net.httpserver.Headers;
import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.RDN;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Vault's LDAP auth method configured for Active Directory ({@code upndomain}): {@code POST
 * auth/MOUNT/login/USER {"password": ...}} binds to the directory as {@code USER@upndomain} with
 * that password, finds the user's entry by {@code userPrincipalName}, maps the common names of its
 * {@code memberOf} groups to policies and issues a token. A failed bind answers what Vault answers:
 * 400 {@code ldap operation failed: failed to bind as user}.
 */
public final class LdapLoginEndpoint implements LoginEndpoint {

    private final String host;
    private final int port;
    private final String baseDn;
    private final String upnDomain;
    private final Map<String, List<String>> groupPolicies;
    private volatile Duration ttl = Duration.ofHours(1);
    private volatile boolean renewable = true;

    /**
     * @param groupPolicies group common name to the policies its members get (Vault's
     *                      {@code auth/ldap/groups/NAME policies=...})
     */
    public LdapLoginEndpoint(String host, int port, String baseDn, String upnDomain, Map<String, List<String>> groupPolicies) {
        this.host = host;
        this.port = port;
        this.baseDn = baseDn;
        this.upnDomain = upnDomain;
        this.groupPolicies = Map.copyOf(groupPolicies);
    }

    /** The TTL and renewability of the tokens it issues from now on (Vault's token_ttl, and a renewable token). */
    public LdapLoginEndpoint tokens(Duration ttl, boolean renewable) {
        this.ttl = ttl;
        this.renewable = renewable;
        return this;
    }

    @Override
    public JsonObject login(String mount, String user, JsonObject body, Headers headers, VaultTokens tokens) throws VaultError {
        if (user.isEmpty()) {
            throw new VaultError(400, "missing username");
        }
        if (!body.has("password") || body.get("password").getAsString().isEmpty()) {
            throw new VaultError(400, "password cannot be empty");
        }
        String upn = user + "@" + upnDomain;
        Set<String> policies = new LinkedHashSet<>(List.of("default"));
        try (LDAPConnection connection = new LDAPConnection(host, port)) {
            try {
                connection.bind(upn, body.get("password").getAsString());
            } catch (LDAPException e) {
                throw new VaultError(400, "ldap operation failed: failed to bind as user");
            }
            SearchResultEntry entry = connection.searchForEntry(baseDn, SearchScope.SUB,
                    Filter.createEqualityFilter("userPrincipalName", upn));
            if (entry == null) {
                throw new VaultError(400, "ldap operation failed: failed to find user DN");
            }
            String[] groups = entry.getAttributeValues("memberOf");
            for (String group : groups == null ? new String[0] : groups) {
                RDN rdn = new DN(group).getRDN();
                String cn = rdn.getAttributeValues()[0];
                policies.addAll(groupPolicies.getOrDefault(cn, List.of()));
            }
        } catch (LDAPException e) {
            throw new VaultError(500, "ldap operation failed: " + e.getResultCode());
        }
        VaultTokens.Token token = tokens.issue(mount + "-" + user, new ArrayList<>(policies), Map.of("username", user),
                "auth/" + mount + "/login/" + user, ttl, renewable);
        return LoginEndpoint.auth(token);
    }
}
