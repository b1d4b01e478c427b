package dbtool.serve.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Optional;

/**
 * What a caller of a {@link Route.Access#PROTECTED} route must present: a bearer token, basic
 * auth (user and password), either, or nothing (loopback without configured credentials).
 * Alertmanager's {@code http_config} sends both kinds. The secrets are compared in constant time
 * and never leave this class: {@link #toString()} names only the kinds.
 */
public final class ServerAuth {

    private final byte[] bearer;
    private final byte[] basic;

    private ServerAuth(String bearerToken, String basicUserPassword) {
        this.bearer = bearerToken == null ? null : ("Bearer " + bearerToken).getBytes(StandardCharsets.UTF_8);
        this.basic = basicUserPassword == null ? null
                : ("Basic " + Base64.getEncoder().encodeToString(basicUserPassword.getBytes(StandardCharsets.UTF_8)))
                .getBytes(StandardCharsets.UTF_8);
    }

    public static ServerAuth none() {
        return new ServerAuth(null, null);
    }

    /**
     * @param bearerToken       the token, or null
     * @param basicUserPassword {@code user:password}, or null
     */
    public static ServerAuth of(String bearerToken, String basicUserPassword) {
        return new ServerAuth(bearerToken, basicUserPassword);
    }

    public boolean required() {
        return bearer != null || basic != null;
    }

    /** Whether the request's {@code Authorization} header carries one of the configured credentials. */
    public boolean admits(Optional<String> authorization) {
        if (!required()) {
            return true;
        }
        if (authorization.isEmpty()) {
            return false;
        }
        byte[] given = authorization.get().strip().getBytes(StandardCharsets.UTF_8);
        // Both compared whatever the outcome of the first: the time taken does not say which kind is set.
        boolean bearerMatches = bearer != null & MessageDigest.isEqual(given, bearer == null ? new byte[0] : bearer);
        boolean basicMatches = basic != null & MessageDigest.isEqual(given, basic == null ? new byte[0] : basic);
        return bearerMatches | basicMatches;
    }

    /** The {@code WWW-Authenticate} challenge of a 401. */
    String challenge() {
        return basic != null ? "Basic realm=\"dbtool\"" : "Bearer realm=\"dbtool\"";
    }

    @Override
    public String toString() {
        if (!required()) {
            return "none";
        }
        return bearer != null && basic != null ? "bearer token or basic auth" : bearer != null ? "bearer token" : "basic auth";
    }
}
