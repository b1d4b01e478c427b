package dbtool.testkit.ldap;

import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.listener.InMemoryDirectoryServerConfig;
import com.unboundid.ldap.listener.InMemoryListenerConfig;
import com.unboundid.ldap.listener.interceptor.InMemoryInterceptedSimpleBindRequest;
import com.unboundid.ldap.listener.interceptor.InMemoryOperationInterceptor;
import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import com.unboundid.ldap.sdk.SimpleBindRequest;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * An in-memory LDAP directory (UnboundID) shaped like Active Directory on a loopback port:
 * {@code DC=example,DC=com} with {@code CN=Users} and {@code CN=Groups}, users carrying
 * {@code sAMAccountName}, {@code userPrincipalName} and {@code memberOf}, groups carrying
 * {@code member}. Like AD it accepts a simple bind as the user principal name
 * ({@code alice@example.com}): an interceptor maps the UPN to the user's DN before the bind runs.
 * There is no schema checking, as AD's attribute types are not in the standard schema.
 */
public final class AdDirectory implements AutoCloseable {

    public static final String BASE_DN = "DC=example,DC=com";
    public static final String DOMAIN = "example.com";
    public static final String USERS_DN = "CN=Users," + BASE_DN;
    public static final String GROUPS_DN = "CN=Groups," + BASE_DN;

    private final InMemoryDirectoryServer server;

    private AdDirectory(InMemoryDirectoryServer server) {
        this.server = server;
    }

    /** Starts an empty directory (base, Users and Groups containers) on a free loopback port. */
    public static AdDirectory start() throws LDAPException {
        InMemoryDirectoryServerConfig config = new InMemoryDirectoryServerConfig(BASE_DN);
        config.setSchema(null);
        config.setListenerConfigs(InMemoryListenerConfig.createLDAPConfig("loopback", InetAddress.getLoopbackAddress(), 0, null));
        UpnBinds upnBinds = new UpnBinds();
        config.addInMemoryOperationInterceptor(upnBinds);
        InMemoryDirectoryServer server = new InMemoryDirectoryServer(config);
        upnBinds.server = server;
        server.add(BASE_DN, new Attribute("objectClass", "top", "domain"), new Attribute("dc", "example"));
        server.add(USERS_DN, new Attribute("objectClass", "top", "container"), new Attribute("cn", "Users"));
        server.add(GROUPS_DN, new Attribute("objectClass", "top", "container"), new Attribute("cn", "Groups"));
        server.startListening();
        return new AdDirectory(server);
    }

    /** Adds a group {@code CN=name,CN=Groups,...}; returns its DN. */
    public String addGroup(String name) throws LDAPException {
        String dn = "CN=" + name + "," + GROUPS_DN;
        server.add(dn, new Attribute("objectClass", "top", "group"), new Attribute("cn", name),
                new Attribute("sAMAccountName", name));
        return dn;
    }

    /**
     * Adds a user {@code CN=sam,CN=Users,...} with UPN {@code sam@example.com}, member of the
     * named groups (which must exist); returns its DN.
     */
    public String addUser(String samAccountName, String password, String... groups) throws LDAPException {
        String dn = "CN=" + samAccountName + "," + USERS_DN;
        List<Attribute> attributes = new ArrayList<>(List.of(
                new Attribute("objectClass", "top", "person", "organizationalPerson", "user"),
                new Attribute("cn", samAccountName),
                new Attribute("sAMAccountName", samAccountName),
                new Attribute("userPrincipalName", samAccountName + "@" + DOMAIN),
                new Attribute("userPassword", password)));
        List<String> groupDns = new ArrayList<>();
        for (String group : groups) {
            groupDns.add("CN=" + group + "," + GROUPS_DN);
        }
        if (!groupDns.isEmpty()) {
            attributes.add(new Attribute("memberOf", groupDns));
        }
        server.add(dn, attributes.toArray(Attribute[]::new));
        for (String groupDn : groupDns) {
            server.modify(groupDn, new Modification(ModificationType.ADD, "member", dn));
        }
        return dn;
    }

    /** The entry whose userPrincipalName is {@code upn}, or null. */
    public SearchResultEntry byUpn(String upn) throws LDAPException {
        return server.searchForEntry(BASE_DN, SearchScope.SUB, Filter.createEqualityFilter("userPrincipalName", upn));
    }

    public String host() {
        return "127.0.0.1";
    }

    public int port() {
        return server.getListenPort();
    }

    /** {@code ldap://127.0.0.1:PORT}, as Vault's {@code url} setting would name it. */
    public String url() {
        return "ldap://" + host() + ":" + port();
    }

    @Override
    public void close() {
        server.shutDown(true);
    }

    /** AD's bind by user principal name: {@code user@domain} becomes the user's DN. */
    private static final class UpnBinds extends InMemoryOperationInterceptor {
        volatile InMemoryDirectoryServer server;

        @Override
        public void processSimpleBindRequest(InMemoryInterceptedSimpleBindRequest request) throws LDAPException {
            SimpleBindRequest bind = request.getRequest();
            String name = bind.getBindDN();
            if (name == null || !name.contains("@") || name.contains("=")) {
                return;
            }
            SearchResultEntry entry = server.searchForEntry(BASE_DN, SearchScope.SUB,
                    Filter.createEqualityFilter("userPrincipalName", name.toLowerCase(Locale.ROOT)));
            if (entry != null) {
                request.setRequest(new SimpleBindRequest(entry.getDN(), bind.getPassword().getValue(), bind.getControls()));
            }
        }
    }
}
