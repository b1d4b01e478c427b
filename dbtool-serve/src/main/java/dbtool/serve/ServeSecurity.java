package dbtool.serve;

import dbtool.core.DbtoolException;
import dbtool.core.Environment;
import dbtool.serve.http.PemTls;
import dbtool.serve.http.ServerAuth;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import javax.net.ssl.SSLContext;
import org.apache.commons.cli.CommandLine;

/**
 * Who may call the protected endpoints and over what: credentials come from files (systemd's
 * {@code LoadCredential=}, a Kubernetes secret volume) or the environment, never from the command
 * line, where {@code ps} would show them. Beyond loopback they are required.
 */
record ServeSecurity(ServerAuth auth, SSLContext tls) {

    static final String TOKEN_VARIABLE = "DBTOOL_SERVE_TOKEN";
    static final String BASIC_VARIABLE = "DBTOOL_SERVE_BASIC_AUTH";

    static ServeSecurity from(CommandLine line, Environment environment, ListenAddress listen) {
        String token = secret(line, "token-file", environment, TOKEN_VARIABLE);
        String basic = secret(line, "basic-auth-file", environment, BASIC_VARIABLE);
        if (basic != null && basic.indexOf(':') <= 0) {
            throw DbtoolException.config((line.hasOption("basic-auth-file") ? "--basic-auth-file " + line.getOptionValue("basic-auth-file")
                    : BASIC_VARIABLE) + ": expected USER:PASSWORD on one line");
        }
        ServerAuth auth = ServerAuth.of(token, basic);
        if (!listen.loopback() && !auth.required()) {
            throw DbtoolException.usage("--listen " + listen.socket().getAddress().getHostAddress() + ":" + listen.socket().getPort()
                    + ": beyond loopback, /api and /alerts need credentials: give --token-file FILE (or set " + TOKEN_VARIABLE
                    + ") or --basic-auth-file FILE (or " + BASIC_VARIABLE + ")");
        }
        boolean cert = line.hasOption("tls-cert");
        if (cert != line.hasOption("tls-key")) {
            throw DbtoolException.usage(cert ? "--tls-cert: give --tls-key with it" : "--tls-key: give --tls-cert with it");
        }
        SSLContext tls = cert ? PemTls.context(Path.of(line.getOptionValue("tls-cert")), Path.of(line.getOptionValue("tls-key"))) : null;
        return new ServeSecurity(auth, tls);
    }

    /** The first line of the file named by the option, else the variable, else null. The value is never in a message. */
    private static String secret(CommandLine line, String option, Environment environment, String variable) {
        if (line.hasOption(option)) {
            Path file = Path.of(line.getOptionValue(option));
            try {
                String value = Files.readAllLines(file, StandardCharsets.UTF_8).stream().findFirst().orElse("").strip();
                if (value.isEmpty()) {
                    throw DbtoolException.config("--" + option + " " + file + ": the file is empty");
                }
                return value;
            } catch (IOException e) {
                throw DbtoolException.config("--" + option + " " + file + ": cannot read it ("
                        + (e instanceof NoSuchFileException ? "no such file" : e.getClass().getSimpleName()) + ")");
            }
        }
        return environment.get(variable).map(String::strip).orElse(null);
    }
}
