package compat.plugin;

import dbtool.spi.CredentialProvider;
import dbtool.spi.CredentialRequest;
import dbtool.spi.Credentials;
import dbtool.spi.IdentityReporter;
import dbtool.spi.LoginHandler;
import dbtool.spi.LoginRequest;
import java.security.PrivateKey;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.security.auth.Subject;

/** A credential method "compat", its identity and its login, all answering from memory. */
public final class CompatCredentials implements CredentialProvider, IdentityReporter, LoginHandler {

    @Override
    public String method() {
        return "compat";
    }

    @Override
    public int order() {
        return 900;
    }

    @Override
    public Optional<Credentials> credentials(CredentialRequest request) {
        if (!"compat".equals(request.target().engine()) || request.interactive() && request.auth().isEmpty()) {
            return Optional.empty();
        }
        String method = request.method();
        Credentials chosen = switch (method == null ? "" : method) {
            case "kerberos" -> Credentials.kerberos("fixture", new Subject(), "compat");
            case "key" -> Credentials.privateKey("fixture", (PrivateKey) null, "compat");
            case "token" -> Credentials.token("fixture", "t0ken".toCharArray(), "compat");
            case "none" -> Credentials.none();
            default -> Credentials.password("fixture", "fixture-password".toCharArray(), "compat");
        };
        return Optional.of(chosen.withRelease(() -> { }));
    }

    @Override
    public String name() {
        return "compat";
    }

    @Override
    public Map<String, String> describe() {
        return Map.of("user", "fixture");
    }

    @Override
    public List<String> methods() {
        return List.of("compat");
    }

    @Override
    public String defaultMethod() {
        return "compat";
    }

    @Override
    public Map<String, String> login(LoginRequest request) {
        return Map.of("method", request.method(), "user", String.valueOf(request.username()),
                "passwordEnv", String.valueOf(request.passwordEnv()), "mount", String.valueOf(request.mount()),
                "interactive", String.valueOf(request.interactive()));
    }

    @Override
    public Map<String, String> logout() {
        return Map.of();
    }

    static void release(Credentials credentials) {
        try (credentials) {
            credentials.release();
        }
    }
}
