package dbtool.plugin.mongo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.mongodb.spi.dns.DnsException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The SRV/TXT lookups go to DNS only, whatever the name (Error Prone's BanJNDI). */
class BoundedDnsClientTest {

    @Test
    void aNameThatWouldSelectAnotherJndiProviderIsRefusedBeforeAnyLookup() {
        // Before: JNDI took "ldap:" as the provider to ask, and tried an LDAP server at that address.
        DnsException refused = assertThrows(DnsException.class,
                () -> new BoundedDnsClient(Duration.ofMillis(300)).getResourceRecordData("ldap://127.0.0.1:1/o=x", "TXT"));
        assertEquals("not a DNS name: ldap://127.0.0.1:1/o=x", refused.getMessage());
    }
}
