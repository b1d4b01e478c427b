package dbtool.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dbtool.core.Environment;
import dbtool.core.cli.CommandContext;
import dbtool.core.cli.CommandLineInterface;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Mistakes on the command line end at once, in one line naming the flag, before anything listens. */
class ServeMistakesTest {

    @TempDir
    Path home;

    private record Run(int exitCode, String err) {
    }

    private Run serve(Map<String, String> variables, String... args) throws Exception {
        Path config = home.resolve("config.json");
        Files.writeString(config, "{\"targets\": {\"orders\": {\"url\": \"postgresql://127.0.0.1:1/x\", \"tags\": [\"prod\"]}}}");
        Map<String, String> env = new HashMap<>(variables);
        env.put("DBTOOL_CONFIG", config.toString());
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        List<String> argv = new ArrayList<>(List.of("serve"));
        argv.addAll(List.of(args));
        try (CommandContext context = new CommandContext(new Environment(env, home, "Linux", null),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), false)) {
            int code = CommandLineInterface.standard().execute(argv, context);
            return new Run(code, err.toString(StandardCharsets.UTF_8));
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "--listen|0.0.0.0:0|--listen 0.0.0.0:0: beyond loopback, /api and /alerts need credentials",
            "--listen|localhost|--listen localhost: expected HOST:PORT",
            "--interval|0s|--interval 0s: expected a duration from 1s to 24h",
            "--shard|3/3|--shard 3/3: expected I/N",
            "--tls-cert|cert.pem|--tls-cert: give --tls-key with it",
            "--tag|nope|--tag: no configured target has the tag 'nope'; tags in use: prod",
            "--parallel|0|--parallel: expected a whole number from 1 to 1024"})
    void aMistakeIsOneLineNamingTheFlagWithExit64(String flag, String value, String message) throws Exception {
        Run run = serve(Map.of(), flag, value);
        assertEquals(64, run.exitCode(), run.err());
        assertTrue(run.err().contains(message), run.err());
        assertEquals(1, run.err().strip().lines().count(), "one line, no stack trace: " + run.err());
    }

    @Test
    void anEmptyTokenFileIsAConfigurationErrorAndATokenIsNeverPrinted() throws Exception {
        Path empty = Files.writeString(home.resolve("token"), "\n");
        Run run = serve(Map.of(), "--listen", "0.0.0.0:0", "--token-file", empty.toString());
        assertEquals(78, run.exitCode(), run.err());
        // core redacts the value of any option named like a secret, the file name included
        assertTrue(run.err().contains("--token-file ****: the file is empty"), run.err());

        Run mismatch = serve(Map.of("DBTOOL_SERVE_BASIC_AUTH", "no-colon-s3cr3t"), "--listen", "0.0.0.0:0");
        assertEquals(78, mismatch.exitCode(), mismatch.err());
        assertTrue(mismatch.err().contains("DBTOOL_SERVE_BASIC_AUTH: expected USER:PASSWORD"), mismatch.err());
        assertFalse(mismatch.err().contains("s3cr3t"), mismatch.err());
    }
}
