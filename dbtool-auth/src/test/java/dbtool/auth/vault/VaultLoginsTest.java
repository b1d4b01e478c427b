package dbtool.auth.vault;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dbtool.auth.kerberos.KerberosPlatform;
import dbtool.auth.kerberos.TicketSource;
import dbtool.testkit.kdc.TestKdc;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which method {@code dbtool auth login} uses when none is named, for each operating system, with
 * the OS name and environment passed in: the one place that decides it runs the same on Linux CI
 * for Windows and macOS. Ticket caches are real ones from Kerby's KDC.
 */
class VaultLoginsTest {

    static final TestKdc KDC = TestKdc.shared();

    @TempDir
    Path dir;

    private static String defaultMethod(String os, Map<String, String> env) {
        return defaultMethod(os, env, Clock.systemUTC());
    }

    private static String defaultMethod(String os, Map<String, String> env, Clock clock) {
        return VaultLogins.defaultMethod(new TicketSource(KerberosPlatform.of(os, env::get), env::get, "4242", clock));
    }

    private Map<String, String> cache(Path file) {
        Map<String, String> env = new HashMap<>();
        env.put("KRB5CCNAME", "FILE:" + file);
        return env;
    }

    @Test
    void linuxAndMacWithAValidTicketLogInWithKerberos() {
        Map<String, String> env = cache(KDC.kinit(TestKdc.USER, dir.resolve("cc")));
        assertEquals("kerberos", defaultMethod("Linux", env));
        assertEquals("kerberos", defaultMethod("Mac OS X", env));
    }

    @Test
    void withoutATicketItIsLdap() {
        assertEquals("ldap", defaultMethod("Linux", cache(dir.resolve("no-such-cache"))));
        assertEquals("ldap", defaultMethod("Mac OS X", cache(dir.resolve("no-such-cache"))));
    }

    @Test
    void anExpiredTicketIsNoTicket() {
        Map<String, String> env = cache(KDC.kinit(TestKdc.USER, dir.resolve("cc")));
        Clock tomorrow = Clock.offset(Clock.systemUTC(), Duration.ofDays(2));
        assertEquals("ldap", defaultMethod("Linux", env, tomorrow));
    }

    @Test
    void aKeyringCacheJavaCannotReadIsLdap() {
        assertEquals("ldap", defaultMethod("Linux", Map.of("KRB5CCNAME", "KEYRING:persistent:4242")));
    }

    @Test
    void aClientKeytabIsKerberosEvenWithoutATicket() {
        Map<String, String> env = cache(dir.resolve("no-such-cache"));
        env.put("KRB5_CLIENT_KTNAME", "FILE:" + KDC.keytab(TestKdc.POSTGRES_SERVICE));
        assertEquals("kerberos", defaultMethod("Linux", env));
        env.put("KRB5_CLIENT_KTNAME", dir.resolve("missing.keytab").toString());
        assertEquals("ldap", defaultMethod("Linux", env), "an unreadable keytab is no keytab");
    }

    @Test
    void windowsUsesSspiOnADomainLogonElseLdap() throws IOException {
        // A ticket cache file means nothing on Windows: SSPI holds the logon session's tickets.
        Path stray = Files.createFile(dir.resolve("krb5cc"));
        Map<String, String> env = cache(stray);
        assertEquals("ldap", defaultMethod("Windows 11", env), "a local account has no Kerberos tickets");
        env.put("USERDNSDOMAIN", "CORP.EXAMPLE.COM");
        assertEquals("kerberos", defaultMethod("Windows Server 2022", env));
    }
}
