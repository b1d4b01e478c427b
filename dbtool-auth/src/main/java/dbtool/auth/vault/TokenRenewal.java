package dbtool.auth.vault;

import com.google.gson.JsonObject;

/**
 * When a cached token is renewed before use: it must be renewable, and close to expiry, meaning
 * less than a tenth of the TTL it was created with, or less than five minutes, is left. A token
 * without a TTL (root tokens) never needs it.
 */
final class TokenRenewal {

    static final long FLOOR_SECONDS = 300;

    private TokenRenewal() {
    }

    /**
     * @param ttlSeconds         seconds left ({@code ttl} of lookup-self); 0 means it never expires
     * @param creationTtlSeconds the TTL it was created with ({@code creation_ttl}); 0 when unknown
     */
    static boolean due(long ttlSeconds, long creationTtlSeconds, boolean renewable) {
        if (!renewable || ttlSeconds <= 0) {
            return false;
        }
        return ttlSeconds < FLOOR_SECONDS || (creationTtlSeconds > 0 && ttlSeconds * 10 < creationTtlSeconds);
    }

    /** The decision from lookup-self's {@code data}. */
    static boolean due(JsonObject lookup) {
        long ttl = lookup.has("ttl") && !lookup.get("ttl").isJsonNull() ? lookup.get("ttl").getAsLong() : 0;
        long creationTtl = lookup.has("creation_ttl") && !lookup.get("creation_ttl").isJsonNull() ? lookup.get("creation_ttl").getAsLong() : 0;
        boolean renewable = lookup.has("renewable") && !lookup.get("renewable").isJsonNull() && lookup.get("renewable").getAsBoolean();
        return due(ttl, creationTtl, renewable);
    }
}
