package dbtool.auth.kerberos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The one place that picks the Kerberos code path, tested for each OS from Linux. */
class KerberosPlatformTest {

    @Test
    void windowsUsesTheNativeSspiBridge() {
        KerberosPlatform windows = KerberosPlatform.of("Windows 11", Map.<String, String>of()::get);
        assertEquals(KerberosPlatform.Mechanism.NATIVE_SSPI, windows.mechanism());
        assertEquals(Map.of("javax.security.auth.useSubjectCredsOnly", "false", "sun.security.jgss.native", "true"),
                windows.systemProperties());
        assertEquals(KerberosPlatform.Mechanism.NATIVE_SSPI, KerberosPlatform.of("Windows Server 2022", k -> null).mechanism());
    }

    @Test
    void linuxAndMacosReadTheTicketCacheWithTheJdksKerberos() {
        for (String os : new String[] {"Linux", "Mac OS X", "FreeBSD"}) {
            KerberosPlatform platform = KerberosPlatform.of(os, Map.<String, String>of()::get);
            assertEquals(KerberosPlatform.Mechanism.TICKET_CACHE, platform.mechanism(), os);
            assertEquals(Map.of("javax.security.auth.useSubjectCredsOnly", "false"), platform.systemProperties(), os);
            assertFalse(platform.systemProperties().containsKey("sun.security.jgss.native"), os);
        }
    }

    @Test
    void krb5ConfigBecomesTheJdksKrb5Conf() {
        KerberosPlatform platform = KerberosPlatform.of("Linux", Map.of("KRB5_CONFIG", "/etc/dbtool/krb5.conf:/etc/krb5.conf")::get);
        assertEquals("/etc/dbtool/krb5.conf", platform.systemProperties().get("java.security.krb5.conf"));
    }

    @Test
    void aWindowsKrb5ConfigPathKeepsItsDriveLetter() {
        KerberosPlatform platform = KerberosPlatform.of("Windows 11", Map.of("KRB5_CONFIG", "C:\\krb5.ini;D:\\other.ini")::get);
        assertEquals("C:\\krb5.ini", platform.systemProperties(";").get("java.security.krb5.conf"));
    }
}
