package dbtool.spi;

import java.util.Map;

/**
 * What a credential provider is asked for.
 *
 * @param target the target that needs credentials
 * @param auth   the target's {@code "auth"} block from the configuration (e.g. {@code method},
 *               {@code secret}); empty when the target has none
 * @param interactive whether a human is at a terminal, so a masked prompt is allowed
 */
public record CredentialRequest(Target target, Map<String, String> auth, boolean interactive) {

    /** A request; a null {@code auth} is an empty block, and the block is copied. */
    public CredentialRequest {
        auth = auth == null ? Map.of() : Map.copyOf(auth);
    }

    /**
     * The method the target's auth block names.
     *
     * @return the method, or an empty string when the chain should decide
     */
    public String method() {
        return auth.getOrDefault("method", "");
    }
}
