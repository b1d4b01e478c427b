package dbtool.auth.vault;

import com.google.gson.JsonObject;
import dbtool.spi.CredentialProvider;
import dbtool.spi.CredentialRequest;
import dbtool.spi.Credentials;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The {@code "vault"} auth method:
 * {@code {"method": "vault", "secret": "database/creds/ROLE"}} for dynamic credentials (the lease
 * is revoked when the command ends, so the role disappears), or
 * {@code {"method": "vault", "secret": "kv/data/PATH", "userField": "username", "passwordField": "password"}}
 * for static credentials in KV v2.
 *
 * <p>Vault's own conventions: VAULT_ADDR (or the auth block's "address"), VAULT_TOKEN else
 * ~/.vault-token, else a Kerberos login ({@link KerberosLogin}, mount "loginMount", default
 * kerberos), VAULT_NAMESPACE (or "namespace"), VAULT_CACERT. HTTPS is always verified
 * (VAULT_SKIP_VERIFY only earns a warning).
 */
public final class VaultCredentialProvider implements CredentialProvider {

    private final Function<String, String> environment;
    private final Path home;
    private final KerberosLogin kerberos;

    public VaultCredentialProvider() {
        this(System::getenv, Path.of(System.getProperty("user.home")), KerberosLogin.current());
    }

    VaultCredentialProvider(Function<String, String> environment, Path home) {
        this(environment, home, KerberosLogin.current());
    }

    VaultCredentialProvider(Function<String, String> environment, Path home, KerberosLogin kerberos) {
        this.environment = environment;
        this.home = home;
        this.kerberos = kerberos;
    }

    @Override
    public String method() {
        return "vault";
    }

    @Override
    public int order() {
        return 100;
    }

    @Override
    public Optional<Credentials> credentials(CredentialRequest request) throws Exception {
        if (!method().equals(request.method())) {
            // Vault needs to know which secret: only targets that name the method use it.
            return Optional.empty();
        }
        Map<String, String> auth = request.auth();
        String field = "targets." + request.target().name() + ".auth";
        String secret = auth.get("secret");
        if (secret == null || secret.isBlank()) {
            throw new IllegalArgumentException(field + ".secret: expected a Vault path such as database/creds/ROLE or kv/data/PATH");
        }
        String address = Optional.ofNullable(auth.get("address")).orElse(environment.apply("VAULT_ADDR"));
        if (address == null || address.isBlank()) {
            throw new IllegalArgumentException("no Vault address: set VAULT_ADDR or " + field + ".address");
        }
        URI vaultAddress = URI.create(address.endsWith("/") ? address : address + "/");
        String namespace = Optional.ofNullable(auth.get("namespace")).orElse(environment.apply("VAULT_NAMESPACE"));
        HttpClient http = httpClient();
        char[] stored = token();
        char[] token = stored != null ? stored : loginWithKerberos(vaultAddress, namespace, auth.get("loginMount"), http);
        VaultClient vault = new VaultClient(vaultAddress, token, namespace, http, Duration.ofSeconds(10));
        String path = secret.startsWith("/") ? secret.substring(1) : secret;
        JsonObject answer = vault.read(path);
        JsonObject data = answer.has("data") && answer.get("data").isJsonObject() ? answer.getAsJsonObject("data") : new JsonObject();
        boolean kv = path.contains("/data/");
        if (kv) {
            data = data.has("data") && data.get("data").isJsonObject() ? data.getAsJsonObject("data") : new JsonObject();
        }
        String userField = auth.getOrDefault("userField", "username");
        String passwordField = auth.getOrDefault("passwordField", "password");
        if (!data.has(userField) || !data.has(passwordField)) {
            throw new IllegalStateException("Vault secret " + path + " has no '" + userField + "' and '" + passwordField
                    + "' fields; set " + field + ".userField and .passwordField");
        }
        char[] password = data.get(passwordField).getAsString().toCharArray();
        try {
            Credentials credentials = Credentials.password(data.get(userField).getAsString(), password, "vault:" + path);
            String leaseId = answer.has("lease_id") ? answer.get("lease_id").getAsString() : "";
            if (kv || leaseId.isEmpty()) {
                return Optional.of(credentials);
            }
            return Optional.of(credentials.withRelease(() -> {
                try {
                    vault.revoke(leaseId);
                } catch (VaultClient.VaultException e) {
                    // The role outlives dbtool only until its lease's TTL; say so rather than fail the diagnosis.
                    throw new IllegalStateException("could not revoke the Vault lease of " + path
                            + " (the role stays until the lease expires): " + e.getMessage());
                } finally {
                    Arrays.fill(token, '\0');
                }
            }));
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    /**
     * No token yet: log in with Kerberos (DESIGN.md section 6: the ticket cache on Linux, SSPI on
     * Windows). The token lives in memory for this command only; it is not written anywhere.
     */
    private char[] loginWithKerberos(URI address, String namespace, String mount, HttpClient http) throws Exception {
        try (VaultToken login = kerberos.login(address, namespace, mount, http)) {
            return login.token().clone();
        } catch (dbtool.auth.kerberos.KerberosException e) {
            throw new IllegalStateException("no Vault token (set VAULT_TOKEN or run 'vault login') and no Kerberos login: " + e.getMessage());
        }
    }

    /** VAULT_TOKEN, else the Vault CLI's token file; null when there is neither. */
    private char[] token() throws IOException {
        String token = environment.apply("VAULT_TOKEN");
        if (token != null && !token.isBlank()) {
            return token.trim().toCharArray();
        }
        Path file = home.resolve(".vault-token");
        if (Files.isReadable(file)) {
            return Files.readString(file).trim().toCharArray();
        }
        return null;
    }

    /** Vault's own reading of a boolean variable (Go's strconv.ParseBool). */
    private static boolean isTrue(String value) {
        return value != null && Set.of("1", "t", "T", "true", "TRUE", "True").contains(value.trim());
    }

    /** HTTPS verified by the JDK's trust store, or only by VAULT_CACERT's certificates when it is set. */
    private HttpClient httpClient() throws Exception {
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
        if (isTrue(environment.apply("VAULT_SKIP_VERIFY"))) {
            // Deliberately not honoured: credentials would travel to whoever answers. Saying so
            // turns a puzzling handshake failure into a fix (VAULT_CACERT).
            System.err.println("dbtool: warning: VAULT_SKIP_VERIFY is ignored: Vault's certificate is always verified;"
                    + " set VAULT_CACERT to trust a private CA");
        }
        String caCert = environment.apply("VAULT_CACERT");
        if (caCert != null && !caCert.isBlank()) {
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            try (InputStream in = Files.newInputStream(Path.of(caCert))) {
                int i = 0;
                for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                    trust.setCertificateEntry("vault-ca-" + i++, certificate);
                }
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), null);
            builder.sslContext(context);
        }
        return builder.build();
    }
}
