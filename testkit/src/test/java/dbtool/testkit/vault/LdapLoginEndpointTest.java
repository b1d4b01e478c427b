package dbtool.testkit.vault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.ResultCode;
import dbtool.testkit.ldap.AdDirectory;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The AD-style directory and the Vault test server's LDAP login and token endpoints, over real HTTP and LDAP. */
class LdapLoginEndpointTest {

    static AdDirectory directory;
    static VaultTestServer vault;
    static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        directory = AdDirectory.start();
        directory.addGroup("DBA");
        directory.addGroup("Staff");
        directory.addUser("alice", "Alice-Secret-1", "DBA", "Staff");
        directory.addUser("bob", "Bob-Secret-1");
        vault = new VaultTestServer("hvs.fixed", null);
        vault.addLogin("ldap", new LdapLoginEndpoint(directory.host(), directory.port(), AdDirectory.BASE_DN,
                AdDirectory.DOMAIN, Map.of("DBA", List.of("dba-readonly"))));
    }

    @AfterAll
    static void stop() {
        vault.close();
        directory.close();
    }

    private static HttpResponse<String> send(String method, String path, String token, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(vault.address() + "/v1/" + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("X-Vault-Token", token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonObject json(HttpResponse<String> response) {
        return JsonParser.parseString(response.body()).getAsJsonObject();
    }

    @Test
    void bindsAsTheUserPrincipalNameLikeActiveDirectory() throws Exception {
        try (LDAPConnection connection = new LDAPConnection(directory.host(), directory.port())) {
            assertEquals(ResultCode.SUCCESS, connection.bind("alice@example.com", "Alice-Secret-1").getResultCode());
            LDAPException wrong = assertThrows(LDAPException.class, () -> connection.bind("alice@example.com", "nope"));
            assertEquals(ResultCode.INVALID_CREDENTIALS, wrong.getResultCode());
            assertEquals(ResultCode.SUCCESS, connection.bind("CN=bob,CN=Users,DC=example,DC=com", "Bob-Secret-1").getResultCode());
        }
    }

    @Test
    void ldapLoginIssuesATokenWithTheGroupsPoliciesThatLooksUpRenewsAndRevokesItself() throws Exception {
        HttpResponse<String> login = send("POST", "auth/ldap/login/alice", null, "{\"password\": \"Alice-Secret-1\"}");
        assertEquals(200, login.statusCode(), login.body());
        JsonObject auth = json(login).getAsJsonObject("auth");
        String token = auth.get("client_token").getAsString();
        assertEquals("[\"default\",\"dba-readonly\"]", auth.get("policies").toString());
        assertEquals(3600, auth.get("lease_duration").getAsLong());

        JsonObject self = json(send("GET", "auth/token/lookup-self", token, null)).getAsJsonObject("data");
        assertEquals("ldap-alice", self.get("display_name").getAsString());
        assertEquals("alice", self.getAsJsonObject("meta").get("username").getAsString());

        assertEquals(200, send("PUT", "auth/token/renew-self", token, "{}").statusCode());
        assertEquals(1, vault.tokens().live(token).orElseThrow().renewals());
        assertEquals(204, send("POST", "auth/token/revoke-self", token, null).statusCode());
        assertEquals(403, send("GET", "auth/token/lookup-self", token, null).statusCode());
        assertTrue(vault.tokens().isRevoked(token));
    }

    @Test
    void aWrongPasswordIsAnsweredAsVaultDoes() throws Exception {
        HttpResponse<String> login = send("POST", "auth/ldap/login/alice", null, "{\"password\": \"wrong\"}");
        assertEquals(400, login.statusCode());
        assertEquals("{\"errors\":[\"ldap operation failed: failed to bind as user\"]}", login.body());
        assertEquals(400, send("POST", "auth/ldap/login/nobody", null, "{\"password\": \"x\"}").statusCode());
    }

    @Test
    void aUserWithoutMappedGroupsGetsTheDefaultPolicyAndANonRenewableTokenCannotBeRenewed() throws Exception {
        LdapLoginEndpoint endpoint = new LdapLoginEndpoint(directory.host(), directory.port(), AdDirectory.BASE_DN,
                AdDirectory.DOMAIN, Map.of()).tokens(Duration.ofMinutes(2), false);
        vault.addLogin("ad", endpoint);
        JsonObject auth = json(send("POST", "auth/ad/login/bob", null, "{\"password\": \"Bob-Secret-1\"}")).getAsJsonObject("auth");
        String token = auth.get("client_token").getAsString();
        assertEquals("[\"default\"]", auth.get("policies").toString());
        HttpResponse<String> renew = send("PUT", "auth/token/renew-self", token, "{}");
        assertEquals(400, renew.statusCode());
        vault.tokens().expire(token);
        assertEquals(403, send("GET", "auth/token/lookup-self", token, null).statusCode());
    }

    @Test
    void httpsWithATestCaIsTrustedOnlyThroughThatCa(@TempDir Path dir) throws Exception {
        TestCertificates certificates = TestCertificates.create(dir.resolve("ca"));
        try (VaultTestServer secure = new VaultTestServer("hvs.fixed", null, certificates.serverContext())) {
            secure.addLogin("ldap", (mount, rest, body, headers, tokens) -> new JsonObject());
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            try (InputStream in = Files.newInputStream(certificates.caPem())) {
                trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), null);
            HttpRequest request = HttpRequest.newBuilder(URI.create(secure.address() + "/v1/auth/token/lookup-self"))
                    .header("X-Vault-Token", "hvs.fixed").header("X-Vault-Namespace", "team-a").build();
            assertTrue(secure.address().startsWith("https://127.0.0.1:"));
            assertEquals(200, HttpClient.newBuilder().sslContext(context).build()
                    .send(request, HttpResponse.BodyHandlers.ofString()).statusCode());
            assertEquals(List.of("team-a"), secure.namespaces());
            assertThrows(SSLHandshakeException.class, () -> http.send(request, HttpResponse.BodyHandlers.ofString()));
            assertFalse(secure.namespaces().size() > 1);
        }
    }
}
