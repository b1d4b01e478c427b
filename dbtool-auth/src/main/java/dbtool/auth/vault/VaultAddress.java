package dbtool.auth.vault;

import dbtool.spi.ConfigurationException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * Vault's address (VAULT_ADDR or a target's {@code auth.address}), checked in the one place every
 * use goes through: the credential method, {@code auth status} and {@code auth login/logout}. It must
 * be an http or https URL with a host and no user information: Vault takes no user or password in
 * its address, and one there would be shown in every message that names the address.
 */
final class VaultAddress {

    private VaultAddress() {
    }

    /**
     * The address as a URI ending in "/".
     *
     * @param value  the address as configured, not blank
     * @param origin where it came from, for messages: {@code VAULT_ADDR} or {@code targets.NAME.auth.address}
     * @throws ConfigurationException (exit 78) with a one-line message that never repeats a password
     */
    static URI parse(String value, String origin) {
        String text = value.strip();
        URI uri;
        try {
            uri = new URI(text.endsWith("/") ? text : text + "/");
        } catch (URISyntaxException e) {
            throw invalid(origin, text);
        }
        if (uri.getRawUserInfo() != null || (uri.getHost() == null && uri.getRawAuthority() != null && uri.getRawAuthority().contains("@"))) {
            throw new ConfigurationException(origin + ": the address holds a user name or password, which Vault does not take"
                    + " there; remove it (e.g. " + uri.getScheme() + "://vault.example.com:8200) and log in with 'dbtool auth login'");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw invalid(origin, text);
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw invalid(origin, text);
        }
        return uri;
    }

    private static ConfigurationException invalid(String origin, String text) {
        // The value may hold a password in a form the URI parser did not recognise: it is repeated only without one.
        String shown = text.contains("@") ? "" : ", got '" + text + "'";
        return new ConfigurationException(origin + ": expected an http:// or https:// URL with a host, such as"
                + " https://vault.example.com:8200" + shown);
    }
}
