package dbtool.auth.vault;

import dbtool.auth.kerberos.TicketSource;
import dbtool.spi.SecretPrompt;
import dbtool.spi.UsageException;
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
     * The method when none is named, the one place that decides it (DESIGN.md section 6): Kerberos
     * when the platform has Kerberos credentials ({@link TicketSource#usable()}: on Linux and macOS
     * a valid ticket in the cache or a client keytab, on Windows a domain logon for SSPI), else
     * LDAP, where the user name defaults to the login name (on Windows the domain user).
     */
    static String defaultMethod(TicketSource tickets) {
        return tickets.usable() ? "kerberos" : "ldap";
    }

    /** The login for a method, which must be one of {@link #methods()}. */
    static VaultLogin forMethod(String method, Function<String, String> environment, SecretPrompt prompt,
                                TokenLogin.TokenClientFactory clients, TicketSource tickets) {
        return switch (method) {
            case "kerberos" -> new KerberosLogin(tickets);
            case "ldap" -> new LdapLogin(environment, prompt);
            case "token" -> new TokenLogin(environment, prompt, clients);
            default -> throw new UsageException("--method: unknown method '" + method + "'; available: "
                    + String.join(", ", methods()));
        };
    }
}
