package dbtool.core.cli;

import dbtool.core.DbtoolException;
import dbtool.core.ExitCodes;
import dbtool.core.run.Suggestions;
import dbtool.core.run.TroubleshootRunner;
import dbtool.spi.ConfigurationException;
import dbtool.spi.IdentityReporter;
import dbtool.spi.LoginHandler;
import dbtool.spi.LoginRequest;
import dbtool.spi.UsageException;
import java.io.PrintStream;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

/**
 * {@code dbtool auth status|login|logout}: who dbtool would be, per credential source; logging in
 * to Vault (the token is cached where Vault's CLI keeps it) and out again. Never prints a secret.
 * The work is done by the auth plugin's {@link IdentityReporter}s and {@link LoginHandler}s.
 */
final class AuthCommand implements Command {

    private static final List<String> LOGIN_OPTIONS = List.of("method", "username", "password-env", "mount");

    @Override
    public String name() {
        return "auth";
    }

    @Override
    public String synopsis() {
        return "status | login [--method kerberos|ldap|token] [--username U] [--password-env VAR] [--mount M] | logout";
    }

    @Override
    public String summary() {
        return "log in to Vault, log out, or show which identities dbtool would use; never prints a secret";
    }

    @Override
    public String description() {
        return """
                status   which Vault (address, namespace), where the token came from, who it belongs to,
                         its policies and expiry; the Kerberos principal, ticket expiry, and the
                         ticket cache or keytab it comes from.
                login    logs in to Vault and caches the token in ~/.vault-token (mode 0600, the file
                         the Vault CLI uses); dbtool renews it when it is renewable and close to expiry.
                         Methods:
                           kerberos  SPNEGO with the Kerberos ticket cache (kinit first) or a keytab
                                     (KRB5_CLIENT_KTNAME); on Windows the logged-on domain user.
                                     The default when there is such a ticket or logon, else ldap.
                           ldap      LDAP or Active Directory user and password; the user defaults to
                                     your login name, the password is prompted for without echo, or,
                                     for automation, read from the variable --password-env names
                                     (default DBTOOL_LDAP_PASSWORD). Never pass a password as an argument.
                           token     an existing token: from the variable --password-env names, else
                                     VAULT_TOKEN, else prompted for without echo.
                         --mount names where the method is mounted in Vault (default: the method's name).
                logout   revokes the cached token if dbtool logged in for it, and removes ~/.vault-token
                         if dbtool wrote it. A token written by the Vault CLI stays, file and all; one
                         given with --method token is not revoked (it may be shared).

                Vault is found through VAULT_ADDR (http:// or https://, host required, no user or password in it);
                VAULT_NAMESPACE and VAULT_CACERT apply as for Vault's CLI. VAULT_SKIP_VERIFY=true turns off the
                verification of Vault's certificate (with a warning): prefer VAULT_CACERT.
                """;
    }

    @Override
    public Options options() {
        Options options = new Options();
        options.addOption(Option.builder("m").longOpt("method").hasArg().argName("kerberos|ldap|token")
                .desc("login: how to log in to Vault (default: kerberos when you have a ticket, on Windows a domain logon;"
                        + " else ldap)").get());
        options.addOption(Option.builder("u").longOpt("username").hasArg().argName("USER")
                .desc("login: the LDAP user (default: your login name)").get());
        options.addOption(Option.builder().longOpt("password-env").hasArg().argName("VAR")
                .desc("login: read the password (or token) from this environment variable instead of a prompt").get());
        options.addOption(Option.builder().longOpt("mount").hasArg().argName("M")
                .desc("login: the Vault mount of the auth method (default: the method's name)").get());
        return options;
    }

    @Override
    public int[] arity() {
        return new int[] {0, 1};
    }

    @Override
    public int run(CommandLine line, CommandContext context) {
        if (line.getArgList().isEmpty()) {
            throw DbtoolException.usage("auth: missing ACTION (status, login, logout); usage: dbtool auth " + synopsis());
        }
        String action = line.getArgList().getFirst();
        if (!action.equals("login")) {
            for (String option : LOGIN_OPTIONS) {
                if (line.hasOption(option)) {
                    throw DbtoolException.usage("auth " + action + ": --" + option + " belongs to 'auth login'");
                }
            }
        }
        return switch (action) {
            case "status" -> status(context);
            case "login" -> login(line, context);
            case "logout" -> logout(context);
            // A near miss is repeated to help; anything else (a pasted token or password) is not.
            default -> {
                String suggestion = Suggestions.didYouMean(action, List.of("status", "login", "logout"));
                throw DbtoolException.usage("auth: unknown action" + (suggestion.isEmpty() ? "" : " '" + action + "'" + suggestion)
                        + "; available: status, login, logout");
            }
        };
    }

    private static int status(CommandContext context) {
        List<IdentityReporter> reporters = context.plugins().identityReporters();
        if (reporters.isEmpty()) {
            throw noAuthPlugin();
        }
        int exit = ExitCodes.OK;
        for (IdentityReporter reporter : reporters) {
            context.out().println(reporter.name() + ":");
            try {
                Map<String, String> facts = reporter.describe();
                if (facts.isEmpty()) {
                    context.out().println("  not configured");
                }
                print(context.out(), facts);
            } catch (Exception e) {
                rethrowIfInterrupted(e);
                context.out().println("  error: " + TroubleshootRunner.reason(e));
                context.log().error("auth status (" + reporter.name() + "): " + TroubleshootRunner.reason(e));
                exit = worse(exit, e);
            }
        }
        return exit;
    }

    private static int login(CommandLine line, CommandContext context) {
        List<LoginHandler> handlers = handlers(context);
        Set<String> methods = new LinkedHashSet<>();
        handlers.forEach(h -> methods.addAll(h.methods()));
        String method = line.getOptionValue("method");
        try {
            if (method == null) {
                // Only without --method: the default may probe (a Kerberos ticket) and say what it chose.
                method = handlers.getFirst().defaultMethod();
            }
            String chosen = method;
            LoginHandler handler = handlers.stream().filter(h -> h.methods().contains(chosen)).findFirst()
                    .orElseThrow(() -> DbtoolException.usage("auth login: --method: unknown method '" + chosen
                            + "'; available: " + String.join(", ", methods)));
            LoginRequest request = new LoginRequest(method, line.getOptionValue("username"), line.getOptionValue("password-env"),
                    line.getOptionValue("mount"), context.terminal());
            Map<String, String> facts = handler.login(request);
            context.out().println(handler.name() + ": logged in with " + method);
            print(context.out(), facts);
            return ExitCodes.OK;
        } catch (DbtoolException | TroubleshootRunner.Interrupted e) {
            throw e;
        } catch (Exception e) {
            rethrowIfInterrupted(e);
            if (e instanceof ConfigurationException) {
                throw DbtoolException.config("auth login: " + TroubleshootRunner.reason(e));
            }
            if (e instanceof UsageException) {
                throw DbtoolException.usage("auth login: " + TroubleshootRunner.reason(e));
            }
            // Any other IllegalArgumentException is the plugin failing, not the user typing it wrong.
            throw new DbtoolException(ExitCodes.UNKNOWN, "auth login" + (method == null ? "" : " (" + method + ")") + ": "
                    + TroubleshootRunner.reason(e));
        }
    }

    private static int logout(CommandContext context) {
        int exit = ExitCodes.OK;
        for (LoginHandler handler : handlers(context)) {
            context.out().println(handler.name() + ":");
            try {
                print(context.out(), handler.logout());
            } catch (Exception e) {
                rethrowIfInterrupted(e);
                String message = "auth logout (" + handler.name() + "): " + TroubleshootRunner.reason(e);
                context.err().println("dbtool: " + message);
                context.log().error(message);
                exit = worse(exit, e);
            }
        }
        return exit;
    }

    /**
     * Ctrl-C while waiting for Vault, a KDC or a prompt: the call failed because of it, so the
     * command ends as interrupted (130) rather than reporting the failure.
     */
    private static void rethrowIfInterrupted(Exception e) {
        if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
        }
        if (Thread.currentThread().isInterrupted()) {
            throw new TroubleshootRunner.Interrupted(e);
        }
    }

    /** The exit code after one more failed plugin: a configuration error outranks a runtime failure. */
    private static int worse(int exit, Exception e) {
        int code = e instanceof ConfigurationException ? ExitCodes.CONFIG : ExitCodes.UNKNOWN;
        return exit == ExitCodes.OK || code == ExitCodes.CONFIG ? code : exit;
    }

    private static List<LoginHandler> handlers(CommandContext context) {
        List<LoginHandler> handlers = context.plugins().loginHandlers();
        if (handlers.isEmpty()) {
            throw noAuthPlugin();
        }
        return handlers;
    }

    /** The same one line for status, login and logout: nothing to report on, log in to or out of. */
    private static DbtoolException noAuthPlugin() {
        return DbtoolException.config("auth: no installed plugin offers logins or identities"
                + " (is plugins/auth installed? see 'dbtool plugins')");
    }

    private static void print(PrintStream out, Map<String, String> facts) {
        int width = facts.keySet().stream().mapToInt(String::length).max().orElse(0) + 2;
        facts.forEach((key, value) -> out.println("  " + key + ":" + " ".repeat(width - key.length()) + value));
    }
}
