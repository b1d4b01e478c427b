package dbtool.auth;

import dbtool.spi.ConfigurationException;
import dbtool.spi.CredentialProvider;
import dbtool.spi.CredentialRequest;
import dbtool.spi.Credentials;
import dbtool.spi.SecretPrompt;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The {@code "password"} auth method: {@code {"method": "password", "user": "u", "passwordEnv": "VAR"}}.
 * The password comes from the named environment variable (for automation), else from a masked
 * prompt when a human is at a terminal. Used only when a target names this method.
 */
public final class PasswordCredentialProvider implements CredentialProvider {

    private final Function<String, String> environment;
    private final SecretPrompt prompt;

    public PasswordCredentialProvider() {
        this(System::getenv, SecretPrompt.terminal());
    }

    PasswordCredentialProvider(Function<String, String> environment, SecretPrompt prompt) {
        this.environment = environment;
        this.prompt = prompt;
    }

    @Override
    public String method() {
        return "password";
    }

    @Override
    public int order() {
        return 900;
    }

    /** A masked prompt when the target names this method without a passwordEnv and a human is at a terminal. */
    @Override
    public boolean mayPrompt(CredentialRequest request) {
        return method().equals(request.method()) && request.interactive() && request.auth().get("passwordEnv") == null;
    }

    @Override
    public Optional<Credentials> credentials(CredentialRequest request) throws InterruptedException {
        if (!method().equals(request.method())) {
            return Optional.empty();
        }
        Map<String, String> auth = request.auth();
        String user = auth.getOrDefault("user", userFromUrl(request));
        String variable = auth.get("passwordEnv");
        if (variable != null) {
            if (!EnvironmentVariableName.isValid(variable)) {
                throw new ConfigurationException(EnvironmentVariableName.notANameMessage(
                        "targets." + request.target().name() + ".auth.passwordEnv"));
            }
            String value = environment.apply(variable);
            if (value == null || value.isEmpty()) {
                throw new IllegalStateException("targets." + request.target().name()
                        + ".auth.passwordEnv names " + variable + ", which is not set");
            }
            char[] password = value.toCharArray();
            try {
                return Optional.of(Credentials.password(user, password, "env:" + variable));
            } finally {
                Arrays.fill(password, '\0');
            }
        }
        if (!request.interactive()) {
            throw new IllegalStateException("targets." + request.target().name()
                    + ".auth: no passwordEnv given and no terminal to prompt on");
        }
        // Ctrl-C at the prompt: the InterruptedException ends the command with "cancelled" (130).
        char[] password = prompt.read("Password for " + (user == null ? "" : user + "@") + request.target().name() + ": ").orElse(null);
        if (password == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Credentials.password(user, password, "prompt"));
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    private static String userFromUrl(CredentialRequest request) {
        String userInfo = request.target().url().getUserInfo();
        if (userInfo == null) {
            return null;
        }
        int colon = userInfo.indexOf(':');
        return colon >= 0 ? userInfo.substring(0, colon) : userInfo;
    }
}
