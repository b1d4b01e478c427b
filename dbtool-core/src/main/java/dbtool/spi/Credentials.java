package dbtool.spi;

import java.security.PrivateKey;
import java.util.Arrays;
import java.util.Optional;
import javax.security.auth.Subject;

/**
 * What a credential provider hands to a plugin. Any part may be absent.
 *
 * <p>Secrets are {@code char[]} so that they can be wiped: {@link #close()} overwrites them and
 * dbtool closes credentials as soon as the session is open. {@link #toString()} never shows a
 * secret.
 */
public final class Credentials implements AutoCloseable {

    private final String user;
    private final char[] password;
    private final Subject kerberosSubject;
    private final PrivateKey privateKey;
    private final char[] token;
    private final String source;
    private final Runnable release;
    private boolean released;

    private Credentials(String user, char[] password, Subject kerberosSubject, PrivateKey privateKey,
                        char[] token, String source) {
        this(user, password, kerberosSubject, privateKey, token, source, null);
    }

    private Credentials(String user, char[] password, Subject kerberosSubject, PrivateKey privateKey,
                        char[] token, String source, Runnable release) {
        this.release = release;
        this.user = user;
        this.password = password;
        this.kerberosSubject = kerberosSubject;
        this.privateKey = privateKey;
        this.token = token;
        this.source = source == null ? "" : source;
    }

    /**
     * No credentials: the plugin uses the engine's own conventions (URL, PG* variables, ~/.pgpass...).
     *
     * @return credentials that hold nothing, with source {@code none}
     */
    public static Credentials none() {
        return new Credentials(null, null, null, null, null, "none");
    }

    /**
     * A user and password; the array is copied, the caller should wipe its own.
     *
     * @param user the login name, or null when the engine takes it from elsewhere
     * @param password the password
     * @param source where they came from, for humans (e.g. {@code vault:database/creds/ro}); never a secret
     * @return the credentials
     */
    public static Credentials password(String user, char[] password, String source) {
        return new Credentials(user, password == null ? null : password.clone(), null, null, null, source);
    }

    /**
     * A Kerberos subject holding the user's ticket-granting ticket.
     *
     * @param user the login name, or null when the engine takes it from elsewhere
     * @param subject the subject with the ticket
     * @param source where they came from, for humans (e.g. {@code vault:database/creds/ro}); never a secret
     * @return the credentials
     */
    public static Credentials kerberos(String user, Subject subject, String source) {
        return new Credentials(user, null, subject, null, null, source);
    }

    /**
     * A user and private key (key-pair authentication).
     *
     * @param user the login name, or null when the engine takes it from elsewhere
     * @param key the private key
     * @param source where they came from, for humans (e.g. {@code vault:database/creds/ro}); never a secret
     * @return the credentials
     */
    public static Credentials privateKey(String user, PrivateKey key, String source) {
        return new Credentials(user, null, null, key, null, source);
    }

    /**
     * A bearer token (e.g. OAuth); the array is copied.
     *
     * @param user the login name, or null when the engine takes it from elsewhere
     * @param token the token
     * @param source where they came from, for humans (e.g. {@code vault:database/creds/ro}); never a secret
     * @return the credentials
     */
    public static Credentials token(String user, char[] token, String source) {
        return new Credentials(user, null, null, null, token == null ? null : token.clone(), source);
    }

    /**
     * The login name.
     *
     * @return the user, or empty when the engine takes it from elsewhere
     */
    public Optional<String> user() {
        return Optional.ofNullable(user);
    }

    /**
     * The password; the returned array is the credentials' own: do not keep it.
     *
     * @return the password, or empty
     */
    public Optional<char[]> password() {
        return Optional.ofNullable(password);
    }

    /**
     * The Kerberos subject to log in with (GSSAPI).
     *
     * @return the subject, or empty
     */
    public Optional<Subject> kerberosSubject() {
        return Optional.ofNullable(kerberosSubject);
    }

    /**
     * The private key for key-pair authentication.
     *
     * @return the key, or empty
     */
    public Optional<PrivateKey> privateKey() {
        return Optional.ofNullable(privateKey);
    }

    /**
     * The token; the returned array is the credentials' own: do not keep it.
     *
     * @return the token, or empty
     */
    public Optional<char[]> token() {
        return Optional.ofNullable(token);
    }

    /**
     * Where the credentials came from, for humans.
     *
     * @return e.g. {@code vault:database/creds/ro}; never a secret
     */
    public String source() {
        return source;
    }

    /**
     * The same credentials with an action to run once the command that used them has finished,
     * for example revoking a Vault lease so that a dynamic database role disappears. The secrets
     * are shared, not copied: close either one to wipe them.
     *
     * @param action what to run once, after the command (it must not throw for an expected failure)
     * @return the credentials with the action
     */
    public Credentials withRelease(Runnable action) {
        return new Credentials(user, password, kerberosSubject, privateKey, token, source, action);
    }

    /**
     * Runs the release action, once; dbtool calls it after the troubleshoot (the session is closed
     * by then). An exception from the action is the provider's to report; it must not contain a secret.
     */
    public synchronized void release() {
        if (release != null && !released) {
            released = true;
            release.run();
        }
    }

    /** Wipes the password and token. */
    @Override
    public void close() {
        if (password != null) {
            Arrays.fill(password, '\0');
        }
        if (token != null) {
            Arrays.fill(token, '\0');
        }
    }

    @Override
    public String toString() {
        return "Credentials[user=" + user + ", source=" + source
                + (password != null ? ", password=****" : "")
                + (token != null ? ", token=****" : "")
                + (kerberosSubject != null ? ", kerberos" : "")
                + (privateKey != null ? ", privateKey" : "") + "]";
    }
}
