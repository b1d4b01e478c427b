package dbtool.plugin.mssql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dbtool.spi.TargetConfigurationException;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which Windows or Kerberos login a target gets, per driver and operating system. */
class IntegratedLoginTest {

    private static IntegratedLogin choose(Map<String, String> options, boolean password, boolean windows) {
        return IntegratedLogin.choose(SqlServerOptions.of("erp", options), password, windows, Optional.of("CORP"));
    }

    @Test
    void aPlainLoginIsASqlServerLogin() {
        IntegratedLogin login = choose(Map.of(), true, false);
        assertEquals(IntegratedLogin.Method.SQL_LOGIN, login.method());
        assertTrue(login.properties().isEmpty() && login.sendUser());
    }

    @Test
    void aDomainWithAPasswordIsNtlmOnEitherDriverFromAnyOs() {
        IntegratedLogin jtds = choose(Map.of("domain", "CORP"), true, false);
        assertEquals(IntegratedLogin.Method.NTLM, jtds.method());
        assertEquals(Map.of("domain", "CORP", "useNTLMv2", "true"), jtds.properties(), "jTDS's default NTLMv1 is refused by hardened domains");
        IntegratedLogin microsoft = choose(Map.of("domain", "CORP", "driver", "mssql-jdbc"), true, false);
        assertEquals(Map.of("domain", "CORP", "integratedSecurity", "true", "authenticationScheme", "NTLM"), microsoft.properties());
        assertTrue(microsoft.sendUser());
    }

    @Test
    void jtdsSingleSignOnWorksOnWindowsWithTheLogonDomain() {
        IntegratedLogin sso = choose(Map.of("integratedSecurity", "true"), false, true);
        assertEquals(IntegratedLogin.Method.WINDOWS_SSO, sso.method());
        assertEquals(Map.of("domain", "CORP", "useNTLMv2", "true"), sso.properties());
        assertFalse(sso.sendUser(), "jTDS uses SSO only when no user is given");
    }

    @Test
    void jtdsOnLinuxCannotUseATicketCacheAndSaysWhatWill() {
        TargetConfigurationException error = assertThrows(TargetConfigurationException.class,
                () -> choose(Map.of("integratedSecurity", "true"), false, false));
        assertEquals("target 'erp': options.integratedSecurity asks jTDS for single sign-on, which works on Windows only; jTDS cannot "
                + "use a Kerberos ticket cache. Use \"driver\": \"mssql-jdbc\" with \"integratedSecurity\": \"true\" "
                + "(authenticationScheme=JavaKerberos, after kinit), or give \"domain\" with the domain user's password for NTLM",
                error.getMessage());
        assertThrows(TargetConfigurationException.class, () -> choose(Map.of("domain", "CORP"), false, false),
                "a domain without a password is jTDS's SSO too");
    }

    @Test
    void mssqlJdbcUsesKerberosFromTheTicketCacheOnLinuxAndNativeAuthenticationOnWindows() {
        IntegratedLogin linux = choose(Map.of("driver", "mssql-jdbc", "integratedSecurity", "yes"), false, false);
        assertEquals(IntegratedLogin.Method.KERBEROS, linux.method());
        assertEquals(Map.of("integratedSecurity", "true", "authenticationScheme", "JavaKerberos"), linux.properties());
        assertFalse(linux.sendUser());
        IntegratedLogin windows = choose(Map.of("driver", "mssql-jdbc", "integratedSecurity", "true"), false, true);
        assertEquals(IntegratedLogin.Method.WINDOWS_NATIVE, windows.method());
        assertEquals("NativeAuthentication", windows.properties().get("authenticationScheme"));
        IntegratedLogin chosen = choose(Map.of("driver", "mssql-jdbc", "integratedSecurity", "true", "authenticationScheme", "JavaKerberos",
                "serverSpn", "MSSQLSvc/db1.corp.example:1433"), false, true);
        assertEquals(IntegratedLogin.Method.KERBEROS, chosen.method());
        assertEquals("MSSQLSvc/db1.corp.example:1433", chosen.properties().get("serverSpn"));
    }

    @Test
    void mssqlJdbcWithADomainButNeitherPasswordNorIntegratedSecurityIsAConfigurationError() {
        TargetConfigurationException error = assertThrows(TargetConfigurationException.class,
                () -> choose(Map.of("driver", "mssql-jdbc", "domain", "CORP"), false, false));
        assertEquals("target 'erp': options.domain without a password asks for a Windows login, which mssql-jdbc makes only with the "
                + "domain user's password (NTLM) or with \"integratedSecurity\": \"true\" (Kerberos from the ticket cache, after kinit); "
                + "give the password or set integratedSecurity", error.getMessage());
        assertFalse(error.getMessage().contains("\n"));
    }

    @Test
    void aFlagThatIsNeitherTrueNorFalseIsAConfigurationError() {
        TargetConfigurationException error = assertThrows(TargetConfigurationException.class,
                () -> choose(Map.of("integratedSecurity", "maybe"), false, false));
        assertEquals("target 'erp': options.integratedSecurity: expected true or false, got 'maybe'", error.getMessage());
    }
}
