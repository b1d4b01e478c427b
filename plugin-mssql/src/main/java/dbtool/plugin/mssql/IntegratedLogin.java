package dbtool.plugin.mssql;

import dbtool.spi.TargetConfigurationException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * How a target logs in when it is not a plain SQL Server login, for the driver it uses:
 *
 * <ul>
 *   <li>{@code "domain"} with a user and password: Windows authentication through NTLM, from any OS
 *       (jTDS natively; mssql-jdbc with {@code authenticationScheme=NTLM}).</li>
 *   <li>{@code "integratedSecurity": "true"} (or jTDS's {@code "domain"} without a password): the
 *       logged-in user. jTDS does that only on Windows (its SSO uses the Windows logon session and
 *       {@code ntlmauth.dll}); it cannot use a Kerberos ticket cache, so on Linux it is refused with
 *       the way out: mssql-jdbc with {@code authenticationScheme=JavaKerberos}.</li>
 * </ul>
 *
 * @param method     what the report and tests call it
 * @param properties driver properties to add
 * @param sendUser   whether the user and password go to the driver (not for single sign-on)
 */
public record IntegratedLogin(Method method, Map<String, String> properties, boolean sendUser) {

    public enum Method { SQL_LOGIN, NTLM, WINDOWS_SSO, KERBEROS, WINDOWS_NATIVE }

    /**
     * @param options     the target's options
     * @param hasPassword whether a password is known (credentials or URL)
     * @param windows     whether dbtool runs on Windows
     * @param userDomain  the Windows logon domain (USERDOMAIN), for jTDS single sign-on
     */
    public static IntegratedLogin choose(SqlServerOptions options, boolean hasPassword, boolean windows, Optional<String> userDomain) {
        DriverKind driver = options.driver();
        Optional<String> domain = options.get("domain");
        boolean integrated = options.flag("integratedSecurity");
        Map<String, String> properties = new LinkedHashMap<>();
        if (domain.isPresent() && hasPassword && !integrated) {
            properties.put("domain", domain.get());
            if (driver == DriverKind.MSSQL_JDBC) {
                properties.put("integratedSecurity", "true");
                properties.put("authenticationScheme", "NTLM");
            } else {
                // jTDS defaults to NTLMv1, which hardened domains refuse (LmCompatibilityLevel 5).
                properties.put("useNTLMv2", "true");
            }
            return new IntegratedLogin(Method.NTLM, properties, true);
        }
        if (driver == DriverKind.JTDS) {
            if (!integrated && domain.isEmpty()) {
                return new IntegratedLogin(Method.SQL_LOGIN, properties, true);
            }
            if (!windows) {
                throw new TargetConfigurationException("target '" + options.targetName() + "': "
                        + (integrated ? "options.integratedSecurity" : "options.domain without a password")
                        + " asks jTDS for single sign-on, which works on Windows only; jTDS cannot use a Kerberos ticket cache. "
                        + "Use \"driver\": \"mssql-jdbc\" with \"integratedSecurity\": \"true\" (authenticationScheme=JavaKerberos, "
                        + "after kinit), or give \"domain\" with the domain user's password for NTLM");
            }
            String logonDomain = domain.or(() -> userDomain).orElseThrow(() -> new TargetConfigurationException("target '"
                    + options.targetName() + "': options.integratedSecurity with jTDS needs \"domain\" (USERDOMAIN is not set)"));
            // jTDS uses single sign-on when a domain is set and no user is; NTLMv2 as for NTLM above.
            properties.put("domain", logonDomain);
            properties.put("useNTLMv2", "true");
            return new IntegratedLogin(Method.WINDOWS_SSO, properties, false);
        }
        if (!integrated) {
            if (domain.isPresent()) {
                // Dropping the domain would log in as a SQL Server login of the same name: say what is missing instead.
                throw new TargetConfigurationException("target '" + options.targetName() + "': options.domain without a password "
                        + "asks for a Windows login, which mssql-jdbc makes only with the domain user's password (NTLM) or with "
                        + "\"integratedSecurity\": \"true\" (Kerberos from the ticket cache, after kinit); give the password or set "
                        + "integratedSecurity");
            }
            return new IntegratedLogin(Method.SQL_LOGIN, properties, true);
        }
        properties.put("integratedSecurity", "true");
        String scheme = options.get("authenticationScheme").orElse(windows ? "NativeAuthentication" : "JavaKerberos");
        properties.put("authenticationScheme", scheme);
        options.get("serverSpn").ifPresent(spn -> properties.put("serverSpn", spn));
        Method method = scheme.equalsIgnoreCase("JavaKerberos") ? Method.KERBEROS : Method.WINDOWS_NATIVE;
        // Kerberos from the ticket cache needs no password; with one, mssql-jdbc logs the user in itself.
        return new IntegratedLogin(method, properties, hasPassword);
    }
}
