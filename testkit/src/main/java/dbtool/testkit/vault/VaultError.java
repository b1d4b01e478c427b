package dbtool.testkit.vault;

/** An answer Vault gives as a status code and {@code {"errors": [message]}}. */
public final class VaultError extends Exception {
    private final int status;

    public VaultError(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
