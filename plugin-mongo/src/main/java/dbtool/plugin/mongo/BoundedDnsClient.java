package dbtool.plugin.mongo;

import com.mongodb.spi.dns.DnsClient;
import com.mongodb.spi.dns.DnsException;
import com.mongodb.spi.dns.DnsWithResponseCodeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.regex.Pattern;
import javax.naming.Context;
import javax.naming.NameNotFoundException;
import javax.naming.NamingEnumeration;
import javax.naming.NamingException;
import javax.naming.directory.Attribute;
import javax.naming.directory.InitialDirContext;

/**
 * SRV and TXT lookups for {@code mongodb+srv} through JNDI's DNS provider (module jdk.naming.dns),
 * like the driver's own client but with a bounded timeout: JNDI's default (1 s, doubled over four
 * retries, per server) can outlast dbtool's whole deadline. Used by the connectivity check and
 * handed to the driver, so both see the same answers.
 */
final class BoundedDnsClient implements DnsClient {

    /**
     * What a DNS name may hold. JNDI picks its provider from a URL scheme in the name (ldap:, rmi:),
     * and those providers may deserialize what a server sends; a name of DNS characters only always
     * goes to the DNS provider, which returns record data as text.
     */
    private static final Pattern DNS_NAME = Pattern.compile("[A-Za-z0-9_.-]{1,253}");

    private final Duration timeout;

    BoundedDnsClient(Duration timeout) {
        this.timeout = timeout;
    }

    // BanJNDI: the provider is fixed to DNS and the name is checked against DNS_NAME first (see there).
    @SuppressWarnings("BanJNDI")
    @Override
    public List<String> getResourceRecordData(String name, String type) throws DnsException {
        if (!DNS_NAME.matcher(name).matches()) {
            throw new DnsException("not a DNS name: " + name, null);
        }
        Hashtable<String, String> environment = new Hashtable<>();
        environment.put(Context.INITIAL_CONTEXT_FACTORY, "com.sun.jndi.dns.DnsContextFactory");
        environment.put(Context.PROVIDER_URL, "dns:");
        // One retry: the first try waits `initial`, the retry twice that.
        environment.put("com.sun.jndi.dns.timeout.initial", Long.toString(Math.max(100, timeout.toMillis() / 3)));
        environment.put("com.sun.jndi.dns.timeout.retries", "1");
        InitialDirContext context;
        try {
            context = new InitialDirContext(environment);
        } catch (NamingException e) {
            throw new DnsException("no DNS client for SRV lookups (module jdk.naming.dns missing?): " + e.getMessage(), e);
        }
        try {
            Attribute attribute = context.getAttributes(name, new String[] {type}).get(type);
            List<String> values = new ArrayList<>();
            if (attribute != null) {
                NamingEnumeration<?> all = attribute.getAll();
                while (all.hasMore()) {
                    values.add(String.valueOf(all.next()));
                }
            }
            return values;
        } catch (NameNotFoundException e) {
            throw new DnsWithResponseCodeException(name + " does not exist (NXDOMAIN)", 3, e);
        } catch (NamingException e) {
            throw new DnsException(type + " lookup of " + name + " failed: " + e.getMessage(), e);
        } finally {
            try {
                context.close();
            } catch (NamingException e) {
                // nothing to release
            }
        }
    }
}
