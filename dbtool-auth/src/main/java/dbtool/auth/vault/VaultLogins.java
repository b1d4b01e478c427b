package dbtool.auth.vault;

import java.util.List;
import java.util.function.Function;

/** The Vault login methods of this build, and which one {@code dbtool auth login} uses by default. */
final class VaultLogins {

    private VaultLogins() {
    }

    /** The {@code --method} values, in help order. */
    static List<String> methods() {
        return List.of("kerberos", "ldap", "token");
    }

    /**
     * The method when none is named. PLATFORM DEFAULT: the design's choice is Kerberos on Linux
     * (ticket cache) and on Windows (SSPI), else LDAP; until the Kerberos login is in this build
     * this is LDAP everywhere. Point this at the platform selection when it arrives.
     */
    static String defaultMethod(Function<String, String> environment) {
        return "ldap";
    }

    /** The login for a method, which must be one of {@link #methods()}. */
    static VaultLogin forMethod(String method, Function<String, String> environment, SecretPrompt prompt,
                                TokenLogin.TokenClientFactory clients) {
        return switch (method) {
            case "ldap" -> new LdapLogin(environment, prompt);
            case "token" -> new TokenLogin(environment, prompt, clients);
            // KERBEROS PLUG-IN POINT: replace with the SPNEGO login (KerberosLogin) once it is in this build.
            case "kerberos" -> new VaultLogin() {
                @Override
                public String method() {
                    return "kerberos";
                }

                @Override
                public VaultToken login(VaultClient vault, dbtool.spi.LoginRequest request) {
                    throw new IllegalStateException("the kerberos method is not available in this build yet; "
                            + "use --method ldap (or token)");
                }
            };
            default -> throw new IllegalArgumentException("--method: unknown method '" + method + "'; available: "
                    + String.join(", ", methods()));
        };
    }
}
