package dbtool.testkit.vault;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The tokens the Vault test server issued at logins, with Vault's lifecycle: a TTL counted on the
 * wall clock, renewal back to the full TTL when renewable, and revocation. A token that expired or
 * was revoked is simply unknown, as in Vault (403 "permission denied").
 */
public final class VaultTokens {

    /** What Vault knows of a token; {@code expires} and {@code renewals} change over its life. */
    public static final class Token {
        private final String id;
        private final String displayName;
        private final List<String> policies;
        private final Map<String, String> meta;
        private final String path;
        private final Duration ttl;
        private final boolean renewable;
        private volatile Instant expires;
        private volatile int renewals;

        Token(String id, String displayName, List<String> policies, Map<String, String> meta, String path,
              Duration ttl, boolean renewable) {
            this.id = id;
            this.displayName = displayName;
            this.policies = List.copyOf(policies);
            this.meta = Map.copyOf(meta);
            this.path = path;
            this.ttl = ttl;
            this.renewable = renewable;
            this.expires = Instant.now().plus(ttl);
        }

        public String id() {
            return id;
        }

        public String displayName() {
            return displayName;
        }

        public List<String> policies() {
            return policies;
        }

        public Map<String, String> meta() {
            return meta;
        }

        public String path() {
            return path;
        }

        /** The TTL it was created with. */
        public Duration creationTtl() {
            return ttl;
        }

        public boolean renewable() {
            return renewable;
        }

        public Instant expires() {
            return expires;
        }

        /** Whole seconds left, never negative. */
        public long ttlSeconds() {
            return Math.max(0, Duration.between(Instant.now(), expires).toSeconds());
        }

        /** How often renew-self extended it. */
        public int renewals() {
            return renewals;
        }
    }

    private final SecureRandom random = new SecureRandom();
    private final Map<String, Token> tokens = new ConcurrentHashMap<>();
    private final Map<String, Token> revoked = new ConcurrentHashMap<>();

    /** Issues a new service token ({@code hvs.} and 24 random bytes). */
    public Token issue(String displayName, List<String> policies, Map<String, String> meta, String path,
                       Duration ttl, boolean renewable) {
        byte[] bytes = new byte[24];
        random.nextBytes(bytes);
        String id = "hvs." + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        Token token = new Token(id, displayName, policies, meta, path, ttl, renewable);
        tokens.put(id, token);
        return token;
    }

    /** The live token with this id: known, not revoked, not expired. */
    public Optional<Token> live(String id) {
        if (id == null) {
            return Optional.empty();
        }
        Token token = tokens.get(id);
        if (token == null || !Instant.now().isBefore(token.expires)) {
            return Optional.empty();
        }
        return Optional.of(token);
    }

    /** Whether the token was revoked (by revoke-self or {@link #revoke}). */
    public boolean isRevoked(String id) {
        return revoked.containsKey(id);
    }

    /** Every token revoked so far (by revoke-self or {@link #revoke}), e.g. to see that a login did not outlive its command. */
    public List<Token> revoked() {
        return List.copyOf(revoked.values());
    }

    /** Ends the token now. */
    public void revoke(String id) {
        Token token = tokens.remove(id);
        if (token != null) {
            revoked.put(id, token);
        }
    }

    /** Lets the token run out now, as its TTL would have. */
    public void expire(String id) {
        Token token = tokens.get(id);
        if (token != null) {
            token.expires = Instant.now().minusSeconds(1);
        }
    }

    /** renew-self: back to the full TTL; false when the token is not renewable. */
    boolean renew(Token token) {
        if (!token.renewable) {
            return false;
        }
        token.expires = Instant.now().plus(token.ttl);
        token.renewals++;
        return true;
    }

    /** Every token issued and still live, by display name, e.g. for "which user logged in". */
    public List<Token> live() {
        return tokens.values().stream().filter(t -> Instant.now().isBefore(t.expires)).toList();
    }
}
