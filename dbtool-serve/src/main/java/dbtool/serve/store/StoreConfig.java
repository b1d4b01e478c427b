package dbtool.serve.store;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import dbtool.core.DbtoolException;
import dbtool.core.Environment;
import dbtool.core.IoErrors;
import dbtool.core.config.Config;
import dbtool.core.plugin.PluginRegistry;
import dbtool.core.run.TargetUrls;
import dbtool.spi.Redaction;
import java.io.IOException;
import java.net.URI;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/**
 * The {@code "state"} block: where {@code dbtool serve} keeps its state.
 *
 * <pre>
 * "state": {"path": "/var/lib/dbtool/state"}                     // embedded H2 (default: DATA_DIR/state)
 * "state": {"url": "postgresql://dbtool@pg1:5432/dbtool_state",  // shared by replicas
 *           "passwordEnv": "DBTOOL_STATE_PASSWORD"}
 * </pre>
 *
 * The shared database's password comes from the environment variable named by {@code passwordEnv},
 * or from PostgreSQL's own conventions ({@code PGPASSWORD}, {@code ~/.pgpass}), never from the file.
 *
 * @param url         the shared PostgreSQL database; null for the embedded store
 * @param path        the embedded store's folder
 * @param passwordEnv the variable holding the shared database's password, or null
 */
public record StoreConfig(String url, Path path, String passwordEnv) {

    private static final Set<String> FIELDS = new TreeSet<>(List.of("url", "path", "passwordEnv"));

    public static StoreConfig of(Config config, Environment environment) {
        Path standard = environment.dataDir().resolve("state");
        JsonElement section = config.section("state").orElse(null);
        if (section == null) {
            return new StoreConfig(null, standard, null);
        }
        JsonObject state = section.getAsJsonObject();
        for (String key : state.keySet()) {
            if (!FIELDS.contains(key)) {
                throw error(config, "state." + key, "unknown field; expected one of " + String.join(", ", FIELDS));
            }
        }
        String url = state.has("url") ? string(config, state.get("url"), "state.url") : null;
        String passwordEnv = state.has("passwordEnv") ? string(config, state.get("passwordEnv"), "state.passwordEnv") : null;
        Path path = state.has("path") ? Path.of(string(config, state.get("path"), "state.path")) : standard;
        if (url != null) {
            if (state.has("path")) {
                throw error(config, "state", "give \"url\" (a shared PostgreSQL database) or \"path\" (the embedded store), not both");
            }
            if (!url.startsWith("postgresql://")) {
                throw error(config, "state.url", "expected a PostgreSQL URL such as postgresql://dbtool@pg1:5432/dbtool_state, got \""
                        + Redaction.redact(url) + "\"");
            }
            if (!Redaction.secrets(url).isEmpty()) {
                throw error(config, "state.url", "holds a password: name an environment variable with \"passwordEnv\" instead"
                        + " (or use PGPASSWORD or ~/.pgpass)");
            }
        } else if (passwordEnv != null) {
            throw error(config, "state.passwordEnv", "only with \"url\" (the embedded store has no password)");
        }
        return new StoreConfig(url, path, passwordEnv);
    }

    /** Opens the store this block names, creating the embedded one (mode 0700) on first use. */
    public StateStore open(Environment environment, PluginRegistry plugins, Clock clock) {
        if (url == null) {
            try {
                createPrivate(path);
            } catch (IOException e) {
                throw DbtoolException.config("state store " + path + ": cannot create the folder: " + IoErrors.describe(e));
            }
            // PostgreSQL mode: the same SQL runs on both stores (ON CONFLICT aside, which the store does not use).
            String jdbc = "jdbc:h2:file:" + path.resolve("dbtool").toAbsolutePath() + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE";
            return StateStore.open(StoreDrivers.h2(environment), jdbc, new Properties(), path.toString(), clock);
        }
        URI uri = TargetUrls.parse(url);
        Properties properties = new Properties();
        String user = uri.getUserInfo();
        if (user != null && !user.isEmpty()) {
            properties.setProperty("user", user);
        }
        if (passwordEnv != null) {
            String password = environment.get(passwordEnv).orElseThrow(() -> DbtoolException.config(
                    "state store " + url + ": the environment variable " + passwordEnv + " (state.passwordEnv) is not set"));
            properties.setProperty("password", password);
        }
        properties.setProperty("ApplicationName", "dbtool-serve");
        properties.setProperty("connectTimeout", "5");
        properties.setProperty("socketTimeout", "30");
        String jdbc = "jdbc:postgresql://" + TargetUrls.host(uri) + (uri.getPort() > 0 ? ":" + uri.getPort() : "") + uri.getRawPath()
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        return StateStore.open(StoreDrivers.postgres(plugins), jdbc, properties, Redaction.redact(url), clock);
    }

    private static void createPrivate(Path folder) throws IOException {
        if (Files.isDirectory(folder)) {
            return;
        }
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            // Incidents quote query texts and session details: for the user running dbtool only.
            Files.createDirectories(folder, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } else {
            Files.createDirectories(folder);
        }
    }

    private static String string(Config config, JsonElement element, String field) {
        if (element instanceof JsonPrimitive primitive && primitive.isString() && !primitive.getAsString().isBlank()) {
            return primitive.getAsString();
        }
        throw error(config, field, "expected a non-empty string");
    }

    private static DbtoolException error(Config config, String field, String message) {
        return DbtoolException.config(config.locate(field) + ": " + message);
    }
}
