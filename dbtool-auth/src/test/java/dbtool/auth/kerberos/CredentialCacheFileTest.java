package dbtool.auth.kerberos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A cache the way MIT's kinit writes it (format 4 with a header, a configuration entry before the
 * ticket, a service ticket after it): the reader finds the principal and the TGT's end time.
 */
class CredentialCacheFileTest {

    @Test
    void readsAnMitStyleCacheAndSkipsConfigurationEntries() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeShort(0x0504);
        out.writeShort(12); // header: one tag, KDC time offset
        out.writeShort(1);
        out.writeShort(8);
        out.writeLong(0);
        principal(out, "EXAMPLE.COM", "bob");
        credential(out, List.of("krb5_ccache_conf_data", "pa_type", "krbtgt/EXAMPLE.COM@EXAMPLE.COM"), "X-CACHECONF:", 0, 0);
        credential(out, List.of("krbtgt", "EXAMPLE.COM"), "EXAMPLE.COM", 1_764_500_000, 1_764_536_000);
        credential(out, List.of("postgres", "db1.example.com"), "EXAMPLE.COM", 1_764_500_100, 1_764_536_000);

        CredentialCacheFile cache = CredentialCacheFile.read(new ByteArrayInputStream(bytes.toByteArray()));

        assertEquals("bob@EXAMPLE.COM", cache.principal());
        assertEquals(2, cache.entries().size());
        CredentialCacheFile.Entry tgt = cache.ticketGrantingTicket().orElseThrow();
        assertEquals("krbtgt/EXAMPLE.COM@EXAMPLE.COM", tgt.server());
        assertEquals(Instant.ofEpochSecond(1_764_536_000), tgt.end());
    }

    @Test
    void somethingElseIsNoCache() {
        IOException e = assertThrows(IOException.class,
                () -> CredentialCacheFile.read(new ByteArrayInputStream("not a cache".getBytes(StandardCharsets.UTF_8))));
        assertEquals("not a Kerberos credential cache (format 6e6f)", e.getMessage());
    }

    private static void principal(DataOutputStream out, String realm, String... components) throws IOException {
        out.writeInt(1);
        out.writeInt(components.length);
        data(out, realm.getBytes(StandardCharsets.UTF_8));
        for (String component : components) {
            data(out, component.getBytes(StandardCharsets.UTF_8));
        }
    }

    private static void credential(DataOutputStream out, List<String> server, String serverRealm, int start, int end) throws IOException {
        principal(out, "EXAMPLE.COM", "bob");
        principal(out, serverRealm, server.toArray(String[]::new));
        out.writeShort(18);
        data(out, new byte[32]); // session key
        out.writeInt(start);
        out.writeInt(start);
        out.writeInt(end);
        out.writeInt(0);
        out.writeByte(0);
        out.writeInt(0x40e10000);
        out.writeInt(0); // addresses
        out.writeInt(0); // authorization data
        data(out, new byte[100]); // ticket
        data(out, new byte[0]); // second ticket
    }

    private static void data(DataOutputStream out, byte[] data) throws IOException {
        out.writeInt(data.length);
        out.write(data);
    }
}
