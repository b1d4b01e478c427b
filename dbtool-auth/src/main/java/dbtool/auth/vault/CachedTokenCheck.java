package dbtool.auth.vault;

import com.google.gson.JsonObject;
import java.nio.file.Path;

/**
 * Before a cached token (~/.vault-token) is used: Vault is asked about it (lookup-self), an invalid
 * or expired one becomes the one-line advice to log in again, and a renewable one close to expiry
 * ({@link TokenRenewal}) is renewed. A token from VAULT_TOKEN is the caller's business and is used as is.
 */
final class CachedTokenCheck {

    private CachedTokenCheck() {
    }

    /** @return whether the token was renewed */
    static boolean renewIfDue(VaultClient vault, Path file) {
        JsonObject data;
        try {
            data = vault.lookupSelf();
        } catch (VaultClient.VaultException e) {
            if (e.status() == 403) {
                throw new IllegalStateException("the Vault token in " + file + " is invalid or expired (Vault answered 403);"
                        + " run 'dbtool auth login'");
            }
            throw new IllegalStateException(e.getMessage());
        }
        if (!TokenRenewal.due(data)) {
            return false;
        }
        try {
            vault.renewSelf();
            return true;
        } catch (VaultClient.VaultException e) {
            // Still valid for now: the diagnosis goes ahead, and the user learns why a login will soon be due.
            System.err.println("dbtool: warning: could not renew the Vault token in " + file + ": " + e.getMessage());
            return false;
        }
    }
}
