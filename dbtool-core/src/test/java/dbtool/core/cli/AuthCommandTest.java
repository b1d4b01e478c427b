package dbtool.core.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dbtool.core.Environment;
import dbtool.core.ExitCodes;
import dbtool.core.plugin.LoadedPlugin;
import dbtool.core.plugin.PluginDirectory;
import dbtool.core.plugin.PluginRegistry;
import dbtool.spi.ConfigurationException;
import dbtool.spi.IdentityReporter;
import dbtool.spi.LoginHandler;
import dbtool.spi.LoginRequest;
import dbtool.spi.UsageException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** dbtool auth with a login handler and identity reporter in place of the auth plugin. */
class AuthCommandTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final AtomicInteger defaultMethodCalls = new AtomicInteger();
    /** What the stub's login does with the request. */
    private ThrowingLogin behaviour = request -> Map.of("token from", request.method());

    interface ThrowingLogin {
        Map<String, String> login(LoginRequest request) throws Exception;
    }

    private final LoginHandler handler = new LoginHandler() {
        @Override public String name() { return "stub"; }
        @Override public List<String> methods() { return List.of("kerberos", "ldap", "token"); }
        @Override public String defaultMethod() {
            defaultMethodCalls.incrementAndGet();
            System.err.println("kerberos not usable (no ticket); using ldap");
            return "ldap";
        }
        @Override public Map<String, String> login(LoginRequest request) throws Exception { return behaviour.login(request); }
        @Override public Map<String, String> logout() { return Map.of("token", "removed"); }
    };

    private final IdentityReporter reporter = new IdentityReporter() {
        @Override public String name() { return "stub"; }
        @Override public Map<String, String> describe() { throw new IllegalStateException("Vault at http://127.0.0.1:1 refused the connection"); }
    };

    private CommandContext context(boolean withPlugin) {
        Environment environment = new Environment(Map.of("DBTOOL_LOG", dir.resolve("run.log").toString(),
                "DBTOOL_CONFIG", dir.resolve("none.json").toString(), "DBTOOL_PLUGIN_PATH", dir.toString()), dir, "Linux", null);
        CommandContext context = new CommandContext(environment, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), false);
        PluginDirectory directory = new PluginDirectory("auth", dir, "bundle", Optional.empty());
        return context.withPlugins(withPlugin
                ? PluginRegistry.ofLoaded(List.of(new LoadedPlugin(directory, List.of("stub"), List.of(), List.of(), List.of(),
                        List.of(reporter), List.of(handler), Optional.empty())))
                : PluginRegistry.ofLoaded(List.of()));
    }

    private int run(CommandContext context, String... args) {
        return CommandLineInterface.standard().execute(List.of(args), context);
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private String log() throws Exception {
        return Files.readString(dir.resolve("run.log"));
    }

    @Test
    void anExplicitMethodDoesNotAskForTheDefault() {
        assertEquals(ExitCodes.OK, run(context(true), "auth", "login", "--method", "token"), stderr());
        assertEquals(0, defaultMethodCalls.get(), "the default probes Kerberos and talks about it");
        assertEquals(ExitCodes.OK, run(context(true), "auth", "login"), stderr());
        assertEquals(1, defaultMethodCalls.get());
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("stub: logged in with ldap"));
    }

    @Test
    void bareAuthNamesTheMissingAction() {
        assertEquals(ExitCodes.USAGE, run(context(true), "auth"));
        assertTrue(stderr().startsWith("dbtool: auth: missing ACTION (status, login, logout)"), stderr());
    }

    @Test
    void withoutAnAuthPluginEveryActionSaysTheSame() {
        for (String action : List.of("status", "login", "logout")) {
            assertEquals(ExitCodes.CONFIG, run(context(false), "auth", action), action);
        }
        List<String> lines = stderr().lines().toList();
        assertEquals(3, lines.size(), stderr());
        assertEquals(1, lines.stream().distinct().count(), stderr());
        assertTrue(lines.getFirst().contains("is plugins/auth installed?"), stderr());
    }

    @Test
    void onlyAUsageExceptionIsAUsageError() {
        behaviour = request -> {
            throw new UsageException("--username: the kerberos method logs in as the principal of your ticket");
        };
        assertEquals(ExitCodes.USAGE, run(context(true), "auth", "login", "--method", "kerberos", "--username", "bob"));
        behaviour = request -> {
            throw new IllegalArgumentException("Illegal character in authority at index 7");
        };
        assertEquals(ExitCodes.UNKNOWN, run(context(true), "auth", "login", "--method", "ldap"), "a plugin's own failure");
        behaviour = request -> {
            throw new ConfigurationException("VAULT_ADDR: expected http:// or https://");
        };
        assertEquals(ExitCodes.CONFIG, run(context(true), "auth", "login", "--method", "ldap"));
        assertEquals(3, stderr().lines().count(), stderr());
    }

    @Test
    void ctrlCDuringLoginEndsAsInterrupted() {
        behaviour = request -> {
            throw new InterruptedException();
        };
        assertEquals(ExitCodes.INTERRUPTED, run(context(true), "auth", "login", "--method", "ldap"));
        behaviour = request -> {
            // What an HTTP client does when the thread is interrupted mid-call: an IOException, flag set.
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("request interrupted");
        };
        int code = run(context(true), "auth", "login", "--method", "ldap");
        Thread.interrupted();
        assertEquals(ExitCodes.INTERRUPTED, code);
        assertEquals(List.of("dbtool: interrupted", "dbtool: interrupted"), stderr().lines().toList());
    }

    @Test
    void statusErrorsReachTheRunLog() throws Exception {
        assertEquals(ExitCodes.UNKNOWN, run(context(true), "auth", "status"));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("error: Vault at http://127.0.0.1:1 refused the connection"));
        assertTrue(log().contains("ERROR") && log().contains("auth status (stub): Vault at http://127.0.0.1:1 refused"), log());
    }

    @Test
    void aPluginMessageQuotingThePasswordEnvValueIsScrubbed() throws Exception {
        behaviour = request -> {
            throw new UsageException("--password-env names " + request.passwordEnv() + ", which is not set");
        };
        assertEquals(ExitCodes.USAGE, run(context(true), "auth", "login", "--method", "ldap", "--password-env", "hunter7secret"));
        assertEquals(ExitCodes.USAGE, run(context(true), "auth", "login", "--method", "ldap", "--password-env=Hunter9secret"));
        assertTrue(stderr().contains("--password-env names ****, which is not set"), stderr());
        for (String secret : List.of("hunter7secret", "Hunter9secret")) {
            assertFalse(stderr().contains(secret), stderr());
            assertFalse(log().contains(secret), log());
        }
    }
}
