package dbtool.auth.vault;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.jopenlibs.vault.EnvironmentLoader;
import io.github.jopenlibs.vault.SslConfig;
import io.github.jopenlibs.vault.Vault;
import io.github.jopenlibs.vault.VaultConfig;
import io.github.jopenlibs.vault.response.VaultResponse;
import io.github.jopenlibs.vault.rest.Rest;
import io.github.jopenlibs.vault.rest.RestException;
import io.github.jopenlibs.vault.rest.RestResponse;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLHandshakeException;

/**
 * The few Vault HTTP API calls dbtool makes, on the Vault Java driver ({@code vault.java.driver},
 * issue #3): secret reads, lease revocation, the LDAP login and the token's own endpoints through
 * the driver's API, the Kerberos login (which the driver lacks) through its {@link Rest} class.
 * The driver's failures become one-line messages that say what Vault said and never carry the
 * token or a password.
 */
final class VaultClient {

    /** Seconds to wait for the TCP connection; an unreachable Vault fails fast (and the driver retries nothing). */
    static final int CONNECT_TIMEOUT_SECONDS = 5;

    /** How long one request may take when no deadline is sooner (a login from {@code dbtool auth login}). */
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    private final URI address;
    private final String namespace;
    private final SslConfig tls;
    private final int timeoutSeconds;
    private final Vault vault;

    /**
     * @param address   Vault's address ending in "/", e.g. {@code https://vault.example.com:8200/}
     * @param token     the token to present; empty for the logins
     * @param namespace a Vault Enterprise namespace, or null
     * @param tls       the driver's TLS settings ({@link VaultTls}: verified unless VAULT_SKIP_VERIFY)
     * @param timeout   how long one request may take (rounded up to whole seconds, the driver's unit);
     *                  its connection attempt is bounded by this too
     */
    VaultClient(URI address, char[] token, String namespace, SslConfig tls, Duration timeout) throws VaultException {
        this.address = address;
        this.namespace = namespace == null || namespace.isBlank() ? null : namespace;
        this.tls = tls;
        // The driver counts whole seconds: rounded up, so that a request sized to the run's deadline ends
        // after it, and dbtool's own message (which method did not answer within --timeout) comes first.
        this.timeoutSeconds = (int) Math.max(1, (timeout.toMillis() + 999) / 1000);
        try {
            VaultConfig config = new VaultConfig()
                    // Settings come from dbtool (VAULT_ADDR, VAULT_TOKEN or ~/.vault-token, VAULT_CACERT...),
                    // never from the driver's own reading of the environment and the home folder.
                    .environmentLoader(NoEnvironment.INSTANCE)
                    .address(driverAddress(address))
                    .token(token == null ? "" : new String(token))
                    .sslConfig(tls)
                    .openTimeout(Math.min(CONNECT_TIMEOUT_SECONDS, timeoutSeconds))
                    .readTimeout(timeoutSeconds);
            if (this.namespace != null) {
                config.nameSpace(this.namespace);
            }
            // Engine version 1 for every path: KV v2's kv/data/PATH and database/creds/ROLE are
            // used as the user wrote them, without the driver inserting "data/".
            this.vault = Vault.create(config.build(), 1).withRetries(0, 0);
        } catch (io.github.jopenlibs.vault.VaultException e) {
            throw new VaultException("Vault at " + address + " cannot be used: " + oneLine(e.getMessage()));
        }
    }

    /** GET v1/PATH: the JSON answer. */
    JsonObject read(String path) throws VaultException {
        return answer(path, call(path, () -> vault.logical().read(path)));
    }

    /**
     * Revokes a lease (POST v1/sys/leases/revoke). Written through the driver's logical API rather than
     * {@code leases().revoke}, which drops Vault's {@code errors} (e.g. "lease not found") from its failure.
     */
    void revoke(String leaseId) throws VaultException {
        String path = "sys/leases/revoke";
        answer(path, call(path, () -> vault.logical().write(path, Map.of("lease_id", leaseId))));
    }

    // --- logins and the token's own endpoints (dbtool auth login/logout, renewal of a cached token) ---

    /**
     * Vault's LDAP login, POST v1/auth/MOUNT/login/USER: the whole answer (its {@code auth} holds the
     * token). The driver takes the password as a String; it lives only as long as the request.
     *
     * @param userSegment the user name, already encoded as one path segment
     */
    JsonObject loginLdap(String mount, String userSegment, char[] password) throws VaultException {
        String path = "auth/" + mount + "/login/" + userSegment;
        return answer(path, call(path, () -> vault.auth().loginByLDAP(userSegment, new String(password), mount)));
    }

    /**
     * A SPNEGO login, POST v1/PATH with {@code Authorization: Negotiate TOKEN}: the whole answer. The
     * driver has no Kerberos login, so this goes through its low-level {@link Rest}, with the same
     * TLS settings and timeouts as the driver's own calls.
     */
    JsonObject loginNegotiate(String path, String spnegoBase64) throws VaultException {
        Rest rest = new Rest()
                .url(driverAddress(address) + "/v1/" + path)
                .header("Authorization", "Negotiate " + spnegoBase64)
                .header("X-Vault-Namespace", namespace)
                .header("X-Vault-Request", "true")
                .header("Content-Type", "application/json")
                .body("{}".getBytes(StandardCharsets.UTF_8))
                .connectTimeoutSeconds(Math.min(CONNECT_TIMEOUT_SECONDS, timeoutSeconds))
                .readTimeoutSeconds(timeoutSeconds)
                // The same TLS settings as the driver's calls, VAULT_SKIP_VERIFY included.
                .sslVerification(tls.isVerify())
                .sslContext(tls.getSslContext());
        try {
            return answer(path, rest.post());
        } catch (RestException e) {
            throw transportFailure(path, e);
        }
    }

    /** GET auth/token/lookup-self: the token's {@code data} (ttl, creation_ttl, renewable, policies, ...). */
    JsonObject lookupSelf() throws VaultException {
        JsonObject answer = answer("auth/token/lookup-self", call("auth/token/lookup-self", () -> vault.auth().lookupSelf()));
        return answer.has("data") && answer.get("data").isJsonObject() ? answer.getAsJsonObject("data") : new JsonObject();
    }

    /** POST auth/token/renew-self: the new {@code auth} (lease_duration, renewable). */
    JsonObject renewSelf() throws VaultException {
        JsonObject answer = answer("auth/token/renew-self", call("auth/token/renew-self", () -> vault.auth().renewSelf()));
        return answer.has("auth") && answer.get("auth").isJsonObject() ? answer.getAsJsonObject("auth") : new JsonObject();
    }

    /** POST auth/token/revoke-self: the token stops working. */
    void revokeSelf() throws VaultException {
        call("auth/token/revoke-self", () -> {
            vault.auth().revokeSelf();
            return null;
        });
    }

    URI address() {
        return address;
    }

    /** One call of the driver's API. */
    @FunctionalInterface
    private interface DriverCall<T> {
        T run() throws io.github.jopenlibs.vault.VaultException;
    }

    private <T> T call(String path, DriverCall<T> call) throws VaultException {
        try {
            return call.run();
        } catch (io.github.jopenlibs.vault.VaultException e) {
            throw failure(path, e);
        }
    }

    /** The JSON of a driver response; Vault's refusals (which the logical API returns rather than throws) become a failure. */
    private JsonObject answer(String path, VaultResponse response) throws VaultException {
        return answer(path, response.getRestResponse());
    }

    private JsonObject answer(String path, RestResponse response) throws VaultException {
        String body = response.getBody() == null ? "" : new String(response.getBody(), StandardCharsets.UTF_8);
        if (response.getStatus() / 100 != 2) {
            throw refusal(path, response.getStatus(), parse(body));
        }
        return parse(body);
    }

    /**
     * A failure the driver threw: Vault's status with the body the driver put into its multi-line
     * message ("... status code: 403\nResponse body: {...}"), of which only {@code errors} is kept; or,
     * without a status, the request never got an answer.
     */
    private VaultException failure(String path, io.github.jopenlibs.vault.VaultException e) {
        int status = e.getHttpStatusCode();
        if (status == 0) {
            return transportFailure(path, e);
        }
        if (status / 100 == 2) {
            return new VaultException("Vault answered " + status + " for " + path + " with something other than JSON", status);
        }
        String message = String.valueOf(e.getMessage());
        int body = message.indexOf("Response body: ");
        return refusal(path, status, body < 0 ? new JsonObject() : parse(message.substring(body + "Response body: ".length())));
    }

    private VaultException refusal(String path, int status, JsonObject json) {
        String what = switch (status) {
            // A login presents no token: its 403 is about the login (or a mount that does not exist), not a token.
            case 403 -> isLogin(path) ? "Vault refused the login at " + path + " (403: the login was refused, or there is"
                    + " no such auth mount)"
                    : "Vault denied access to " + path + " (403: the token is invalid, expired or lacks a policy for it)";
            case 404 -> "Vault has nothing at " + path + " (404)";
            default -> "Vault answered " + status + " for " + path;
        };
        List<String> errors = errors(json);
        return new VaultException(errors.isEmpty() ? what : what + ": " + oneLine(String.join("; ", errors)), status);
    }

    /** auth/MOUNT/login, and LDAP's auth/MOUNT/login/USER. */
    static boolean isLogin(String path) {
        return path.matches("auth/.+/login(/[^/]+)?");
    }

    /** No answer from Vault: an untrusted certificate, a refused or timed-out connection, an interruption. */
    private VaultException transportFailure(String path, Exception e) {
        if (untrustedCertificate(e)) {
            return new VaultException("Vault at " + address + " presented a certificate that is not trusted: set VAULT_CACERT"
                    + " to the PEM file of the CA that signed it (" + lastPart(deepest(e, IOException.class) == null ? e.getMessage()
                    : deepest(e, IOException.class).getMessage()) + ")");
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof InterruptedException) {
                Thread.currentThread().interrupt();
                return new VaultException("interrupted while asking Vault for " + path);
            }
        }
        HttpTimeoutException httpTimeout = outermost(e, HttpTimeoutException.class);
        if (httpTimeout != null && !(httpTimeout instanceof HttpConnectTimeoutException)) {
            // Connected, but no answer: a hung Vault or a black-holing proxy, not a wrong address.
            return new VaultException("Vault at " + address + " did not answer " + path + " within " + timeoutSeconds + " s");
        }
        if (httpTimeout != null || outermost(e, SocketTimeoutException.class) != null) {
            return new VaultException("Vault at " + address + " is unreachable: timed out");
        }
        if (outermost(e, ConnectException.class) != null) {
            return new VaultException("Vault at " + address + " is unreachable: connection refused");
        }
        // The outermost I/O failure says most ("HTTP/1.1 header parser received no bytes"); the innermost is
        // often a bare ClosedChannelException.
        IOException io = outermost(e, IOException.class);
        if (io != null) {
            return new VaultException("Vault at " + address + " is unreachable: "
                    + (io.getMessage() == null ? io.getClass().getSimpleName() : oneLine(io.getMessage())));
        }
        Throwable cause = e.getCause() == null ? e : e.getCause();
        return new VaultException("could not ask Vault at " + address + " for " + path + ": " + cause.getClass().getSimpleName());
    }

    /** The outermost throwable of the type in the cause chain. */
    private static <T extends Throwable> T outermost(Throwable error, Class<T> type) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    /** The innermost throwable of the type in the cause chain (the driver wraps the JDK's in RestException and VaultException). */
    private static <T extends Throwable> T deepest(Throwable error, Class<T> type) {
        T found = null;
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                found = type.cast(t);
            }
        }
        return found;
    }

    /** A TLS handshake that failed because the certificate chain could not be verified. */
    private static boolean untrustedCertificate(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof CertPathValidatorException || t instanceof CertificateException
                    || (t instanceof SSLHandshakeException && String.valueOf(t.getMessage()).contains("PKIX"))) {
                return true;
            }
        }
        return false;
    }

    /** "PKIX path building failed: sun...Exception: unable to find ..." becomes "unable to find ...". */
    private static String lastPart(String message) {
        if (message == null) {
            return "certificate not trusted";
        }
        int colon = message.lastIndexOf(": ");
        return oneLine(colon >= 0 ? message.substring(colon + 2) : message);
    }

    private static String oneLine(String text) {
        return text == null ? "" : text.strip().replaceAll("\\s*\\R\\s*", " ");
    }

    /** The driver appends "/v1/PATH" to the address itself. */
    private static String driverAddress(URI address) {
        String text = address.toString();
        return text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
    }

    private static JsonObject parse(String body) {
        if (body == null || body.isBlank()) {
            return new JsonObject();
        }
        try {
            JsonElement element = JsonParser.parseString(body);
            return element.isJsonObject() ? element.getAsJsonObject() : new JsonObject();
        } catch (RuntimeException e) {
            return new JsonObject();
        }
    }

    private static List<String> errors(JsonObject json) {
        List<String> errors = new ArrayList<>();
        if (json.has("errors") && json.get("errors").isJsonArray()) {
            json.getAsJsonArray("errors").forEach(e -> errors.add(e.isJsonPrimitive() ? e.getAsString() : e.toString()));
        }
        return errors;
    }

    /** The driver's defaults read VAULT_TOKEN, ~/.vault-token and VAULT_SSL_* themselves: dbtool passes every setting. */
    static final class NoEnvironment extends EnvironmentLoader {
        static final NoEnvironment INSTANCE = new NoEnvironment();

        @Override
        public String loadVariable(String name) {
            return null;
        }
    }

    /** A Vault failure with a one-line message that holds no secret. */
    static final class VaultException extends Exception {
        private final int status;

        VaultException(String message) {
            this(message, 0);
        }

        VaultException(String message, int status) {
            super(message, null, false, false);
            this.status = status;
        }

        /** Vault's HTTP status; 0 when Vault did not answer. */
        int status() {
            return status;
        }
    }
}
