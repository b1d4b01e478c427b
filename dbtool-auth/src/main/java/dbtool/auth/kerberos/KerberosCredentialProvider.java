package dbtool.auth.kerberos;

import dbtool.spi.CredentialProvider;
import dbtool.spi.CredentialRequest;
import dbtool.spi.Credentials;
import java.util.Optional;

/**
 * The {@code "kerberos"} auth method: {@code {"method": "kerberos"}} connects with GSSAPI as the
 * user's Kerberos principal, from the ticket cache (or KRB5_CLIENT_KTNAME's keytab, or SSPI on
 * Windows). The database user is the principal's short name ({@code alice@EXAMPLE.COM} logs in as
 * {@code alice}) unless the auth block names {@code "user"}. Used only when a target names it.
 */
public final class KerberosCredentialProvider implements CredentialProvider {

    private final TicketSource tickets;

    public KerberosCredentialProvider() {
        this(TicketSource.current());
    }

    KerberosCredentialProvider(TicketSource tickets) {
        this.tickets = tickets;
    }

    @Override
    public String method() {
        return "kerberos";
    }

    @Override
    public int order() {
        return 200;
    }

    @Override
    public Optional<Credentials> credentials(CredentialRequest request) throws KerberosException {
        if (!method().equals(request.method())) {
            // A ticket on the machine is no reason to change how an unconfigured target logs in.
            return Optional.empty();
        }
        KerberosIdentity identity = tickets.acquire();
        String user = request.auth().getOrDefault("user", identity.shortName());
        return Optional.of(Credentials.kerberos(user, identity.subject(), "kerberos:" + identity.principal()));
    }
}
