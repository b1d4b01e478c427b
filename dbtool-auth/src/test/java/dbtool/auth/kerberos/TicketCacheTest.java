package dbtool.auth.kerberos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Finding the ticket cache the way MIT Kerberos does, and the KEYRING:/KCM: explanation. */
class TicketCacheTest {

    @TempDir
    Path dir;

    @Test
    void withoutKrb5ccnameTheCacheIsTmpKrb5ccUid() throws Exception {
        TicketCache cache = TicketCache.locate(Map.<String, String>of()::get, "1000");
        assertEquals(Path.of("/tmp/krb5cc_1000"), cache.file());
        assertEquals("default", cache.origin());
    }

    @Test
    void fileAndBarePathsAreFiles() throws Exception {
        assertEquals(Path.of("/run/user/1000/krb5cc"), TicketCache.locate(Map.of("KRB5CCNAME", "FILE:/run/user/1000/krb5cc")::get, "1000").file());
        assertEquals(Path.of("/var/tmp/cc"), TicketCache.locate(Map.of("KRB5CCNAME", "/var/tmp/cc")::get, "1000").file());
    }

    @Test
    void aDirCacheMeansThePrimaryFileInIt() throws Exception {
        Files.writeString(dir.resolve("primary"), "tktABC\n");
        assertEquals(dir.resolve("tktABC"), TicketCache.locate(Map.of("KRB5CCNAME", "DIR:" + dir)::get, "1").file());
        assertEquals(dir.resolve("tktXYZ"), TicketCache.locate(Map.of("KRB5CCNAME", "DIR::" + dir.resolve("tktXYZ"))::get, "1").file());
        Files.delete(dir.resolve("primary"));
        assertEquals(dir.resolve("tkt"), TicketCache.locate(Map.of("KRB5CCNAME", "DIR:" + dir)::get, "1").file());
    }

    @Test
    void keyringAndKcmCachesAreExplainedWithTheFix() throws Exception {
        TicketCache keyring = TicketCache.locate(Map.of("KRB5CCNAME", "KEYRING:persistent:1000")::get, "1000");
        assertFalse(keyring.readable());
        assertNull(keyring.file());
        assertEquals("the Kerberos ticket cache KEYRING:persistent:1000 (KRB5CCNAME) is in the kernel keyring, which Java cannot"
                + " read; get a ticket in a file cache: KRB5CCNAME=FILE:/tmp/krb5cc_$(id -u) kinit", keyring.unreadableMessage());

        String kcm = TicketCache.locate(Map.of("KRB5CCNAME", "KCM:")::get, "1000").unreadableMessage();
        assertTrue(kcm.contains("KCM daemon") && kcm.endsWith("KRB5CCNAME=FILE:/tmp/krb5cc_$(id -u) kinit"), kcm);
        assertFalse(kcm.contains("\n"));
    }
}
