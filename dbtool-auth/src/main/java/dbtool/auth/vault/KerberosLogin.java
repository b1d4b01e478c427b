package dbtool.auth.vault;

import com.google.gson.JsonObject;
import dbtool.auth.kerberos.KerberosErrors;
import dbtool.auth.kerberos.KerberosException;
import dbtool.auth.kerberos.KerberosIdentity;
import dbtool.auth.kerberos.TicketSource;
import dbtool.spi.LoginRequest;
import dbtool.spi.UsageException;
import io.github.jopenlibs.vault.SslConfig;
import java.net.URI;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.CompletionException;
import javax.security.auth.Subject;
import org.ietf.jgss.GSSContext;
import org.ietf.jgss.GSSException;
import org.ietf.jgss.GSSManager;
import org.ietf.jgss.GSSName;
import org.ietf.jgss.Oid;

/**
 * Vault's Kerberos login: a SPNEGO token for the service {@code HTTP@<vault host>}, made by JGSS
 * from the user's ticket (cache, client keytab, or SSPI on Windows: see {@link TicketSource}),
 * sent as {@code Authorization: Negotiate <base64>} to {@code POST v1/auth/<mount>/login}.
 * This is what {@code vault login -method=kerberos} does; Vault's Java drivers have no such login,
 * so it goes through the driver's low-level Rest class ({@link VaultClient#loginNegotiate}).
 * Used by {@code dbtool auth login --method kerberos} and by the vault credential method when
 * there is no token.
 */
public final class KerberosLogin implements VaultLogin {

    /** The mount Vault's Kerberos auth method has unless configured otherwise. */
    public static final String DEFAULT_MOUNT = "kerberos";

    private static final Oid SPNEGO = spnego();

    private final TicketSource tickets;

    public KerberosLogin(TicketSource tickets) {
        this.tickets = tickets;
    }

    /** A login with this process's tickets. */
    public static KerberosLogin current() {
        return new KerberosLogin(TicketSource.current());
    }

    @Override
    public String method() {
        return "kerberos";
    }

    /**
     * Logs in and returns the new token.
     *
     * @param address   Vault's address, e.g. {@code https://vault.example.com:8200/}; its host names the service principal
     * @param namespace a Vault Enterprise namespace, or null
     * @param mount     the auth method's mount, null for {@value #DEFAULT_MOUNT}
     * @param tls       the TLS settings ({@link VaultTls}: VAULT_CACERT)
     * @throws Exception with a one-line message that holds no secret: no ticket, clock skew, Vault's refusal...
     */
    public VaultToken login(URI address, String namespace, String mount, SslConfig tls) throws Exception {
        return login(address, namespace, mount, tls, VaultClient.DEFAULT_TIMEOUT);
    }

    /** {@link #login(URI, String, String, SslConfig)} with each request bounded by {@code timeout} (the run's deadline). */
    public VaultToken login(URI address, String namespace, String mount, SslConfig tls, Duration timeout) throws Exception {
        VaultClient vault = new VaultClient(address.toString().endsWith("/") ? address : URI.create(address + "/"), new char[0],
                namespace, tls, timeout);
        return login(vault, mount);
    }

    /** {@code dbtool auth login --method kerberos [--mount M]}: the same login through the login framework's client. */
    @Override
    public VaultToken login(VaultClient vault, LoginRequest request) throws Exception {
        if (request.username() != null) {
            throw new UsageException("--username: the kerberos method logs in as the principal of your ticket;"
                    + " to be someone else, kinit as them (or use --method ldap)");
        }
        if (request.passwordEnv() != null) {
            throw new UsageException("--password-env: the kerberos method needs no password (it uses your ticket,"
                    + " or the keytab KRB5_CLIENT_KTNAME names)");
        }
        return login(vault, request.mount());
    }

    private VaultToken login(VaultClient vault, String mount) throws Exception {
        String path = "auth/" + (mount == null || mount.isBlank() ? DEFAULT_MOUNT : strip(mount)) + "/login";
        KerberosIdentity identity = tickets.acquire();
        byte[] spnegoToken = spnegoToken(identity, vault.address().getHost());
        JsonObject answer = vault.loginNegotiate(path, Base64.getEncoder().encodeToString(spnegoToken));
        JsonObject auth = answer.has("auth") && answer.get("auth").isJsonObject() ? answer.getAsJsonObject("auth") : null;
        return VaultToken.fromAuth(auth, identity.principal() + " (kerberos, " + path.substring(0, path.length() - "/login".length())
                + ")", "the Kerberos login at " + path);
    }

    /** The first SPNEGO token for HTTP@host, made inside the identity's Subject. */
    static byte[] spnegoToken(KerberosIdentity identity, String host) throws KerberosException {
        try {
            return Subject.callAs(identity.subject(), () -> {
                GSSManager manager = GSSManager.getInstance();
                GSSName service = manager.createName("HTTP@" + host, GSSName.NT_HOSTBASED_SERVICE);
                GSSContext context = manager.createContext(service, SPNEGO, null, GSSContext.DEFAULT_LIFETIME);
                try {
                    context.requestMutualAuth(false);
                    context.requestCredDeleg(false);
                    return context.initSecContext(new byte[0], 0, 0);
                } finally {
                    context.dispose();
                }
            });
        } catch (CompletionException e) {
            throw new KerberosException("Kerberos login to Vault as " + identity.principal() + " (service HTTP/" + host + ") failed: "
                    + KerberosErrors.explain(e.getCause() == null ? e : e.getCause()));
        }
    }

    private static String strip(String mount) {
        String m = mount.startsWith("/") ? mount.substring(1) : mount;
        return m.endsWith("/") ? m.substring(0, m.length() - 1) : m;
    }

    private static Oid spnego() {
        try {
            return new Oid("1.3.6.1.5.5.2");
        } catch (GSSException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
