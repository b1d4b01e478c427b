package dbtool.auth.vault;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The few Vault HTTP API calls dbtool makes, on java.net.http (the Vault Java driver would add a
 * module for three endpoints). Error messages say what Vault said and never carry the token.
 */
final class VaultClient {

    private final URI address;
    private final char[] token;
    private final String namespace;
    private final HttpClient http;
    private final Duration timeout;

    VaultClient(URI address, char[] token, String namespace, HttpClient http, Duration timeout) {
        this.address = address;
        this.token = token;
        this.namespace = namespace;
        this.http = http;
        this.timeout = timeout;
    }

    /** GET v1/PATH: the JSON answer. */
    JsonObject read(String path) throws VaultException {
        return send(request(path).GET().build(), path);
    }

    /** PUT v1/sys/leases/revoke. */
    void revoke(String leaseId) throws VaultException {
        JsonObject body = new JsonObject();
        body.addProperty("lease_id", leaseId);
        send(request("sys/leases/revoke").PUT(HttpRequest.BodyPublishers.ofString(body.toString()))
                .header("Content-Type", "application/json").build(), "sys/leases/revoke");
    }

    // --- logins and the token's own endpoints (dbtool auth login/logout, renewal of a cached token) ---

    /**
     * POST v1/PATH with a JSON body, e.g. a login; without a token header when this client has no
     * token. The body may hold a password: it is sent and cleared, never kept or logged.
     */
    JsonObject write(String path, byte[] body) throws VaultException {
        return write(path, body, java.util.Map.of());
    }

    /** {@link #write(String, byte[])} with extra headers, e.g. {@code Authorization: Negotiate ...} for a Kerberos login. */
    JsonObject write(String path, byte[] body, java.util.Map<String, String> headers) throws VaultException {
        try {
            HttpRequest.Builder builder = request(path).POST(HttpRequest.BodyPublishers.ofByteArray(body))
                    .header("Content-Type", "application/json");
            headers.forEach(builder::header);
            return send(builder.build(), path);
        } finally {
            java.util.Arrays.fill(body, (byte) 0);
        }
    }

    /** GET auth/token/lookup-self: the token's {@code data} (ttl, creation_ttl, renewable, policies, ...). */
    JsonObject lookupSelf() throws VaultException {
        JsonObject answer = read("auth/token/lookup-self");
        return answer.has("data") && answer.get("data").isJsonObject() ? answer.getAsJsonObject("data") : new JsonObject();
    }

    /** POST auth/token/renew-self: the new {@code auth} (lease_duration, renewable). */
    JsonObject renewSelf() throws VaultException {
        JsonObject answer = write("auth/token/renew-self", "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return answer.has("auth") && answer.get("auth").isJsonObject() ? answer.getAsJsonObject("auth") : new JsonObject();
    }

    /** POST auth/token/revoke-self: the token stops working. */
    void revokeSelf() throws VaultException {
        write("auth/token/revoke-self", new byte[0]);
    }

    URI address() {
        return address;
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(address.resolve("/v1/" + path)).timeout(timeout);
        if (token != null && token.length > 0) {
            builder.header("X-Vault-Token", new String(token));
        }
        if (namespace != null && !namespace.isBlank()) {
            builder.header("X-Vault-Namespace", namespace);
        }
        return builder;
    }

    private JsonObject send(HttpRequest request, String path) throws VaultException {
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            if (untrustedCertificate(e)) {
                throw new VaultException("Vault at " + address + " presented a certificate that is not trusted: set VAULT_CACERT"
                        + " to the PEM file of the CA that signed it (" + lastPart(e.getMessage()) + ")");
            }
            throw new VaultException("Vault at " + address + " is unreachable: "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VaultException("interrupted while asking Vault for " + path);
        }
        JsonObject json = parse(response.body());
        if (response.statusCode() / 100 != 2) {
            String what = switch (response.statusCode()) {
                case 403 -> path.startsWith("auth/") && path.endsWith("/login") ? "Vault refused the login at " + path + " (403)"
                        : "Vault denied access to " + path + " (403: the token is invalid, expired or lacks a policy for it)";
                case 404 -> "Vault has nothing at " + path + " (404)";
                default -> "Vault answered " + response.statusCode() + " for " + path;
            };
            List<String> errors = errors(json);
            throw new VaultException(errors.isEmpty() ? what : what + ": " + String.join("; ", errors), response.statusCode());
        }
        return json;
    }

    /** A TLS handshake that failed because the certificate chain could not be verified. */
    private static boolean untrustedCertificate(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof java.security.cert.CertPathValidatorException || t instanceof java.security.cert.CertificateException
                    || (t instanceof javax.net.ssl.SSLHandshakeException && String.valueOf(t.getMessage()).contains("PKIX"))) {
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
        return colon >= 0 ? message.substring(colon + 2) : message;
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
