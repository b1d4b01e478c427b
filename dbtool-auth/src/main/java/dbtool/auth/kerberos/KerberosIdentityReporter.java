package dbtool.auth.kerberos;

import dbtool.spi.IdentityReporter;
import java.util.Map;

/** {@code dbtool auth status} for Kerberos: principal, ticket expiry, and which cache or keytab; never a key. */
public final class KerberosIdentityReporter implements IdentityReporter {

    private final TicketSource tickets;

    public KerberosIdentityReporter() {
        this(TicketSource.current());
    }

    KerberosIdentityReporter(TicketSource tickets) {
        this.tickets = tickets;
    }

    @Override
    public String name() {
        return "kerberos";
    }

    @Override
    public Map<String, String> describe() throws Exception {
        return tickets.describe();
    }
}
