package dbtool.auth;

import java.util.Optional;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dbtool.spi.ConfigurationException;
import dbtool.spi.CredentialRequest;
import dbtool.spi.Target;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The password method's passwordEnv names a variable; a password typed there is refused without being repeated. */
class PasswordCredentialProviderTest {

    private static CredentialRequest request(String passwordEnv) {
        return new CredentialRequest(new Target("orders", URI.create("postgresql://db/orders"), "postgresql", "db", 5432, "orders",
                List.of(), Map.of()), Map.of("method", "password", "user", "monitor", "passwordEnv", passwordEnv), false);
    }

    @Test
    void theVariableNamedIsReadAndAPasswordInItsPlaceIsAConfigurationErrorThatDoesNotRepeatIt() throws Exception {
        PasswordCredentialProvider provider = new PasswordCredentialProvider(Map.of("ORDERS_PW", "Pw-1")::get, prompt -> Optional.empty());
        assertArrayEquals("Pw-1".toCharArray(), provider.credentials(request("ORDERS_PW")).orElseThrow().password().orElseThrow());

        ConfigurationException e = assertThrows(ConfigurationException.class, () -> provider.credentials(request("S3cret!pw")));
        assertEquals("targets.orders.auth.passwordEnv: the value is not an environment variable name (letters, digits and _,"
                + " e.g. MY_PASSWORD); give the name of a variable that holds the secret, never the secret itself", e.getMessage());
        assertFalse(e.getMessage().contains("S3cret!pw"));
    }

    @Test
    void onlyAPromptAtATerminalIsAskedOutsideTheDeadline() {
        PasswordCredentialProvider provider = new PasswordCredentialProvider(Map.<String, String>of()::get, prompt -> Optional.empty());
        Target target = request("X").target();
        org.junit.jupiter.api.Assertions.assertTrue(provider.mayPrompt(
                new CredentialRequest(target, Map.of("method", "password", "user", "monitor"), true)));
        assertFalse(provider.mayPrompt(new CredentialRequest(target, Map.of("method", "password", "user", "monitor"), false)),
                "no terminal");
        assertFalse(provider.mayPrompt(new CredentialRequest(target, Map.of("method", "password", "passwordEnv", "PW"), true)),
                "the password comes from the environment");
        assertFalse(provider.mayPrompt(new CredentialRequest(target, Map.of("method", "vault"), true)), "another method");
    }
}
