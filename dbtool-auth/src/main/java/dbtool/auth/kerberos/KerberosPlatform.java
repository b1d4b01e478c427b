package dbtool.auth.kerberos;

import java.io.File;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The one place that decides how dbtool gets Kerberos credentials on this operating system, and
 * the JVM settings that go with it:
 * <ul>
 *   <li>Linux, macOS and other Unixes: the user's ticket cache (or a client keytab) read by the
 *       JDK's own Kerberos (JGSS), with {@code javax.security.auth.useSubjectCredsOnly=false} so
 *       that drivers which do not run inside the Subject still find the cache.</li>
 *   <li>Windows: the native SSPI bridge ({@code sun.security.jgss.native=true}): the logon
 *       session's tickets, no cache file and no kinit.</li>
 * </ul>
 * Everywhere, {@code KRB5_CONFIG} becomes {@code java.security.krb5.conf} (unless that is set),
 * because the JDK itself only reads /etc/krb5.conf or its own conf folder.
 */
public final class KerberosPlatform {

    /** Where tickets come from. */
    public enum Mechanism {
        /** a FILE:/DIR: ticket cache or a KRB5_CLIENT_KTNAME keytab, through the JDK's Kerberos */
        TICKET_CACHE,
        /** Windows SSPI through the JDK's native GSS bridge */
        NATIVE_SSPI
    }

    private final Mechanism mechanism;
    private final Function<String, String> environment;

    private KerberosPlatform(Mechanism mechanism, Function<String, String> environment) {
        this.mechanism = mechanism;
        this.environment = environment;
    }

    /** This JVM's platform. */
    public static KerberosPlatform current() {
        return of(System.getProperty("os.name", ""), System::getenv);
    }

    /** The platform for an OS name (as in {@code os.name}) and environment: testable anywhere. */
    public static KerberosPlatform of(String osName, Function<String, String> environment) {
        boolean windows = osName.toLowerCase(Locale.ROOT).startsWith("windows");
        return new KerberosPlatform(windows ? Mechanism.NATIVE_SSPI : Mechanism.TICKET_CACHE, environment);
    }

    public Mechanism mechanism() {
        return mechanism;
    }

    /** The system properties this path needs, in the order they are applied. */
    public Map<String, String> systemProperties() {
        return systemProperties(File.pathSeparator);
    }

    /** {@link #systemProperties()} with the OS's list separator (';' on Windows, where paths have ':'). */
    Map<String, String> systemProperties(String pathSeparator) {
        Map<String, String> properties = new LinkedHashMap<>();
        // JGSS may look beyond the JAAS Subject (drivers that do not call Subject.callAs, the SSPI bridge).
        properties.put("javax.security.auth.useSubjectCredsOnly", "false");
        if (mechanism == Mechanism.NATIVE_SSPI) {
            properties.put("sun.security.jgss.native", "true");
        }
        String krb5Config = environment.apply("KRB5_CONFIG");
        if (krb5Config != null && !krb5Config.isBlank()) {
            // MIT allows a list (':' on Unix, ';' on Windows, whose paths have ':'); the JDK takes one file: the first.
            properties.put("java.security.krb5.conf", krb5Config.split(Pattern.quote(pathSeparator))[0]);
        }
        return properties;
    }

    /**
     * Sets {@link #systemProperties()} on this JVM before the JDK's Kerberos first reads them; a
     * krb5.conf given with {@code -Djava.security.krb5.conf} wins over KRB5_CONFIG.
     */
    public void apply() {
        systemProperties().forEach((name, value) -> {
            if (!name.equals("java.security.krb5.conf") || System.getProperty(name) == null) {
                System.setProperty(name, value);
            }
        });
    }
}
