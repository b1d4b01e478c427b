package dbtool.auth.kerberos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dbtool.spi.CredentialRequest;
import dbtool.spi.Credentials;
import dbtool.spi.Target;
import dbtool.testkit.kdc.TestKdc;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import javax.security.auth.kerberos.KerberosTicket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tickets from FILE caches and keytabs written by a real KDC (Apache Kerby's), read by the JDK's Kerberos. */
class TicketSourceTest {

    static final TestKdc KDC = TestKdc.shared();

    @TempDir
    Path dir;

    private TicketSource source(Map<String, String> env) {
        Map<String, String> all = new HashMap<>(env);
        all.put("KRB5_CONFIG", KDC.krb5Conf().toString());
        return new TicketSource(KerberosPlatform.of("Linux", all::get), all::get, "4242", Clock.systemUTC());
    }

    @Test
    void aFileCacheGivesThePrincipalItsExpiryAndASubjectHoldingTheTicket() throws Exception {
        Path cache = KDC.kinit(TestKdc.USER, dir.resolve("krb5cc_alice"));

        KerberosIdentity identity = source(Map.of("KRB5CCNAME", "FILE:" + cache)).acquire();

        assertEquals("alice@EXAMPLE.COM", identity.principal());
        assertEquals("alice", identity.shortName());
        assertTrue(identity.expires().isAfter(Instant.now()), identity.expires().toString());
        assertEquals(cache + " (KRB5CCNAME)", identity.source());
        KerberosTicket tgt = identity.subject().getPrivateCredentials(KerberosTicket.class).iterator().next();
        assertEquals("krbtgt/EXAMPLE.COM@EXAMPLE.COM", tgt.getServer().getName());
    }

    @Test
    void theCredentialCacheReaderSeesWhatTheKdcIssued() throws Exception {
        Path cache = KDC.kinit(TestKdc.USER, dir.resolve("cc"));
        CredentialCacheFile contents = CredentialCacheFile.read(cache);
        assertEquals("alice@EXAMPLE.COM", contents.principal());
        assertEquals("krbtgt/EXAMPLE.COM@EXAMPLE.COM", contents.ticketGrantingTicket().orElseThrow().server());
    }

    @Test
    void noTicketIsOneLineWithTheFix() {
        Path missing = dir.resolve("krb5cc_nobody");
        KerberosException e = assertThrows(KerberosException.class, () -> source(Map.of("KRB5CCNAME", "FILE:" + missing)).acquire());
        assertEquals("no Kerberos ticket: " + missing + " (KRB5CCNAME) does not exist; run kinit", e.getMessage());
    }

    @Test
    void anExpiredTicketSaysWhenItExpired() {
        Path cache = KDC.expiredTicket(TestKdc.USER, dir.resolve("krb5cc_old"));
        KerberosException e = assertThrows(KerberosException.class, () -> source(Map.of("KRB5CCNAME", cache.toString())).acquire());
        assertTrue(e.getMessage().startsWith("the Kerberos ticket of alice@EXAMPLE.COM in " + cache + " expired at "), e.getMessage());
        assertTrue(e.getMessage().endsWith("; run kinit"), e.getMessage());
    }

    @Test
    void aKeyringCacheIsExplainedAndAClientKeytabTakesOver() throws Exception {
        KerberosException e = assertThrows(KerberosException.class,
                () -> source(Map.of("KRB5CCNAME", "KEYRING:persistent:4242")).acquire());
        assertTrue(e.getMessage().contains("KRB5CCNAME=FILE:/tmp/krb5cc_$(id -u) kinit"), e.getMessage());

        KerberosIdentity identity = source(Map.of("KRB5CCNAME", "KEYRING:persistent:4242",
                "KRB5_CLIENT_KTNAME", "FILE:" + KDC.keytab(TestKdc.USER))).acquire();
        assertEquals("alice@EXAMPLE.COM", identity.principal());
        assertEquals(KDC.keytab(TestKdc.USER) + " (KRB5_CLIENT_KTNAME)", identity.source());
    }

    @Test
    void authStatusShowsPrincipalExpiryAndCacheButNoKey() throws Exception {
        Path cache = KDC.kinit(TestKdc.USER, dir.resolve("krb5cc_status"));
        Map<String, String> facts = source(Map.of("KRB5CCNAME", "FILE:" + cache)).describe();
        assertEquals("alice@EXAMPLE.COM", facts.get("principal"));
        assertEquals(cache + " (KRB5CCNAME)", facts.get("ticket cache"));
        assertTrue(Instant.parse(facts.get("expires")).isAfter(Instant.now()), facts.toString());
        assertFalse(facts.toString().contains(KDC.password(TestKdc.USER)));

        Map<String, String> keyring = source(Map.of("KRB5CCNAME", "KEYRING:persistent:4242")).describe();
        assertTrue(keyring.get("problem").contains("kernel keyring"), keyring.toString());
        assertTrue(source(Map.of()).describe().isEmpty(), "no cache and no keytab: nothing to report");
    }

    @Test
    void theKerberosMethodLogsInAsThePrincipalsShortName() throws Exception {
        Path cache = KDC.kinit(TestKdc.USER, dir.resolve("krb5cc_method"));
        KerberosCredentialProvider provider = new KerberosCredentialProvider(source(Map.of("KRB5CCNAME", "FILE:" + cache)));
        Target target = new Target("orders", URI.create("postgresql://localhost:5432/postgres"), "postgresql", "localhost", 5432, "postgres", java.util.List.of(), Map.of());
        try (Credentials credentials = provider.credentials(new CredentialRequest(target, Map.of("method", "kerberos"), false)).orElseThrow()) {
            assertEquals("alice", credentials.user().orElseThrow());
            assertTrue(credentials.kerberosSubject().isPresent());
            assertEquals("kerberos:alice@EXAMPLE.COM", credentials.source());
        }
        try (Credentials other = provider.credentials(new CredentialRequest(target, Map.of("method", "kerberos", "user", "orders_ro"), false)).orElseThrow()) {
            assertEquals("orders_ro", other.user().orElseThrow());
        }
        assertTrue(provider.credentials(new CredentialRequest(target, Map.of(), false)).isEmpty(), "only targets that name the method");
    }

    @Test
    void rhelsDefaultCacheFromKrb5ConfAndItsIncludedirIsExplainedInOneLine() throws Exception {
        Path includes = java.nio.file.Files.createDirectories(dir.resolve("krb5.conf.d"));
        java.nio.file.Files.writeString(includes.resolve("kcm_default_ccache"), """
                # written by sssd-kcm
                [libdefaults]
                    default_ccache_name = KCM:%{uid}
                """);
        Path conf = java.nio.file.Files.writeString(dir.resolve("krb5.conf"), """
                includedir %s
                [realms]
                 EXAMPLE.COM = { kdc = localhost }
                """.formatted(includes));
        Map<String, String> env = Map.of("KRB5_CONFIG", conf.toString());
        TicketCache cache = TicketCache.locate(env::get, "4242");
        assertEquals("KCM:4242", cache.name());
        assertFalse(cache.readable());
        TicketSource source = new TicketSource(KerberosPlatform.of("Linux", env::get), env::get, "4242", Clock.systemUTC());
        KerberosException e = assertThrows(KerberosException.class, source::acquire);
        assertEquals("the Kerberos ticket cache KCM:4242 (default_ccache_name in " + includes.resolve("kcm_default_ccache")
                + ") is held by the KCM daemon (sssd-kcm), which Java cannot read; get a ticket in a file cache:"
                + " KRB5CCNAME=FILE:/tmp/krb5cc_$(id -u) kinit", e.getMessage());

        java.nio.file.Files.writeString(conf, "[libdefaults]\n default_realm = EXAMPLE.COM\n default_ccache_name = KEYRING:persistent:%{USERID}\n");
        assertEquals("KEYRING:persistent:4242", TicketCache.locate(env::get, "4242").name());
    }

    @Test
    void statusNamesTheCacheThatCannotBeReadAndStillReportsTheKeytab() throws Exception {
        Path truncated = java.nio.file.Files.write(dir.resolve("cc-truncated"), new byte[] {0x05, 0x04, 0x00});
        Path garbageKeytab = java.nio.file.Files.write(dir.resolve("garbage.keytab"), new byte[] {0x05, 0x02, 0x00, 0x00, 0x00, 0x7f});
        Map<String, String> facts = source(Map.of("KRB5CCNAME", "FILE:" + truncated, "KRB5_CLIENT_KTNAME", garbageKeytab.toString()))
                .describe();
        assertTrue(facts.get("problem").startsWith("cannot read the Kerberos ticket cache " + truncated + " (KRB5CCNAME): "),
                facts.toString());
        assertTrue(facts.get("client keytab").startsWith(garbageKeytab + " (KRB5_CLIENT_KTNAME)"), facts.toString());

        Map<String, String> directory = source(Map.of("KRB5CCNAME", "FILE:" + dir)).describe();
        assertEquals("cannot read the Kerberos ticket cache " + dir + " (KRB5CCNAME): Is a directory", directory.get("problem"),
                directory.toString());
    }

    @Test
    void anIdentityNeverShowsItsSubject() throws Exception {
        Path cache = KDC.kinit(TestKdc.USER, dir.resolve("cc-tostring"));
        KerberosIdentity identity = source(Map.of("KRB5CCNAME", "FILE:" + cache)).acquire();
        assertFalse(identity.toString().contains("Ticket") || identity.toString().contains("Subject"), identity.toString());
        assertTrue(identity.toString().contains("alice@EXAMPLE.COM"), identity.toString());
    }
}
