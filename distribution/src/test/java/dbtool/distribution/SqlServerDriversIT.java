package dbtool.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dbtool.testkit.DbtoolBundle;
import dbtool.testkit.ProcessResult;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SQL Server plugin in the bundle: its checks as 'dbtool checks' lists them, and the choice of
 * Microsoft's mssql-jdbc per target, with and without its jar in the plugin's folder.
 */
class SqlServerDriversIT {

    @TempDir
    Path home;

    @TempDir
    Path work;

    private DbtoolBundle withConfig(String json) throws IOException {
        DbtoolBundle bundle = DbtoolBundle.locate(home);
        Files.createDirectories(bundle.configFile().getParent());
        Files.writeString(bundle.configFile(), json);
        return bundle;
    }

    @Test
    void checksListsEverySqlServerCheckWithItsCategoryAndOneLine() {
        ProcessResult result = DbtoolBundle.locate(home).run("checks", "sqlserver");
        assertEquals(0, result.exitCode(), result.describe());
        List<String> expected = List.of("connection connectivity", "blocking locks", "lock-waits locks", "open-transactions locks",
                "deadlocks locks", "waits resources", "cpu resources", "memory resources", "workers resources", "tempdb resources",
                "log-space resources", "server-stats resources", "long-requests queries", "top-statements queries");
        // The checks table comes first; the declared thresholds follow it after a blank line.
        List<String> checks = result.stdout().lines().takeWhile(l -> !l.isBlank()).filter(l -> l.startsWith("sqlserver ")).toList();
        List<String> listed = checks.stream().map(l -> l.split("\\s+")).map(c -> c[1] + " " + c[2]).toList();
        assertEquals(expected, listed, result.stdout());
        assertTrue(checks.stream().allMatch(l -> l.split("\\s+").length > 5), "each with a description: " + result.stdout());
        assertTrue(result.stdout().contains("lock_wait_critical_seconds"), "then the thresholds: " + result.stdout());
    }

    @Test
    void aTargetAskingForMssqlJdbcWithoutItsJarIsOneConfigurationErrorLine() throws Exception {
        DbtoolBundle bundle = withConfig("""
                {"targets": {"billing": {"url": "sqlserver://app:Cfg-Pw-1@127.0.0.1:1/billing",
                                         "options": {"driver": "mssql-jdbc"}}}}
                """);
        ProcessResult result = bundle.run("troubleshoot", "billing");
        assertEquals(78, result.exitCode(), result.describe());
        assertEquals("dbtool: target 'billing': options.driver is \"mssql-jdbc\" but Microsoft's JDBC driver is not installed; put "
                + "mssql-jdbc-<version>.jre11.jar into " + bundle.home().resolve("plugins").resolve("sqlserver") + "/ (beside the plugin's "
                + "own jars), or remove \"driver\" to use jTDS", result.stderr().strip());
        assertTrue(result.stdout().isEmpty(), result.stdout());
        assertFalse((result.stdout() + result.stderr()).contains("Cfg-Pw"), "no password in any output");
    }

    @Test
    void anUnknownOptionIsAConfigurationError() throws Exception {
        DbtoolBundle bundle = withConfig("""
                {"targets": {"erp": {"url": "sqlserver://127.0.0.1:1/erp", "options": {"applicationIntent": "ReadOnly"}}}}
                """);
        ProcessResult result = bundle.run("troubleshoot", "erp");
        assertEquals(78, result.exitCode(), result.describe());
        assertTrue(result.stderr().startsWith("dbtool: target 'erp': unknown option 'applicationIntent' for SQL Server; known options: "),
                result.stderr());
    }

    /** Microsoft's jar dropped beside the plugin's own jars is loaded into the plugin's layer and does the login. */
    @Test
    void mssqlJdbcDroppedIntoThePluginFolderLogsInInsteadOfJtds() throws Exception {
        Path folder = Files.createDirectories(work.resolve("sqlserver"));
        DbtoolBundle bundle = withConfig("{}");
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(bundle.home().resolve("plugins").resolve("sqlserver"), "*.jar")) {
            for (Path jar : jars) {
                Files.copy(jar, folder.resolve(jar.getFileName()));
            }
        }
        Path microsoft = Path.of(Class.forName("com.microsoft.sqlserver.jdbc.SQLServerDriver", false, getClass().getClassLoader())
                .getProtectionDomain().getCodeSource().getLocation().toURI());
        Files.copy(microsoft, folder.resolve(microsoft.getFileName()));
        bundle.env("DBTOOL_PLUGIN_PATH", folder.toString());

        // A listener that is not SQL Server: it takes the connection and hangs up, so the login fails in the driver.
        try (ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread.ofVirtual().start(() -> {
                while (!listener.isClosed()) {
                    try (Socket socket = listener.accept(); InputStream in = socket.getInputStream()) {
                        in.read(new byte[8]);
                    } catch (IOException e) {
                        // closed at the end of the test
                    }
                }
            });
            Files.writeString(bundle.configFile(), """
                    {"targets": {"billing": {"url": "sqlserver://app:Cfg-Pw-1@127.0.0.1:%d/billing",
                                             "options": {"driver": "mssql-jdbc", "encrypt": "false"}}}}
                    """.formatted(listener.getLocalPort()));

            ProcessResult plugins = bundle.run("plugins");
            assertTrue(plugins.stdout().lines().anyMatch(l -> l.startsWith("sqlserver ") && l.contains(" ok ")
                    && l.endsWith("DBTOOL_PLUGIN_PATH")), plugins.describe());

            ProcessResult result = bundle.run("troubleshoot", "billing", "--check", "connection", "--format", "json");
            assertEquals(2, result.exitCode(), result.describe());
            assertTrue(result.stdout().contains("\"result\": \"failed with mssql-jdbc: "), result.stdout());
            assertTrue(result.stderr().isEmpty(), "the driver's own logging stays quiet: " + result.stderr());
            assertFalse((result.stdout() + result.stderr()).contains("Cfg-Pw"), "no password in any output");
        }
    }
}
