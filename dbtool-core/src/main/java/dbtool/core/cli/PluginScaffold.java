package dbtool.core.cli;

import dbtool.core.DbtoolException;
import dbtool.core.ExitCodes;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The project {@code dbtool plugins new NAME} writes: a Maven project for an engine plugin that
 * builds with this release's plugin versions, tests its checks through dbtool's runner (testkit's
 * {@code PluginRun}) and packages the plugin folder. The files are resources of core
 * ({@code dbtool/core/scaffold/*.txt}) with {@code @NAME@}-style placeholders; the versions come from
 * {@code scaffold.properties}, which the build fills in.
 */
final class PluginScaffold {

    static final Pattern NAME = Pattern.compile("[a-z][a-z0-9]{0,29}");
    private static final Pattern PACKAGE = Pattern.compile("[a-z_][a-z0-9_]*(\\.[a-z_][a-z0-9_]*)+");

    /** Template resource, and where it goes in the project ({@code PKG} is the package's folder). */
    private static final Map<String, String> FILES = new LinkedHashMap<>();

    static {
        FILES.put("pom.xml.txt", "pom.xml");
        FILES.put("README.md.txt", "README.md");
        FILES.put("plugin-folder.xml.txt", "src/assembly/plugin-folder.xml");
        FILES.put("module-info.java.txt", "src/main/java/module-info.java");
        FILES.put("Plugin.java.txt", "src/main/java/PKG/CLASSPlugin.java");
        FILES.put("Session.java.txt", "src/main/java/PKG/CLASSSession.java");
        FILES.put("ReachableCheck.java.txt", "src/main/java/PKG/ReachableCheck.java");
        FILES.put("PluginTest.java.txt", "src/test/java/PKG/CLASSPluginTest.java");
    }

    private final String name;
    private final String javaPackage;
    private final int port;

    PluginScaffold(String name, String javaPackage, int port) {
        if (!NAME.matcher(name).matches()) {
            throw DbtoolException.usage("plugins new: NAME must be 1-30 lower-case letters and digits starting with a letter"
                    + " (it becomes the engine id and the URL scheme)");
        }
        if (!PACKAGE.matcher(javaPackage).matches()) {
            throw DbtoolException.usage("plugins new: --package must be a lower-case Java package name with at least two parts,"
                    + " such as com.example.dbtool." + name);
        }
        this.name = name;
        this.javaPackage = javaPackage;
        this.port = port;
    }

    static String defaultPackage(String name) {
        return "com.example.dbtool." + name;
    }

    /**
     * Writes the project into {@code directory}, which must not exist: into a sibling folder first,
     * moved into place at the end, so a failure leaves nothing half-written.
     */
    void write(Path directory) {
        Path target = directory.toAbsolutePath().normalize();
        if (Files.exists(target)) {
            throw new DbtoolException(ExitCodes.CANT_CREATE, "plugins new: " + target + " already exists; name a new folder with --directory");
        }
        Path parent = target.getParent();
        Path staging = null;
        try {
            Files.createDirectories(parent);
            staging = Files.createTempDirectory(parent, "." + target.getFileName() + ".");
            Map<String, String> values = values();
            for (Map.Entry<String, String> file : FILES.entrySet()) {
                Path out = staging.resolve(substitute(file.getValue(), Map.of("PKG", javaPackage.replace('.', '/'),
                        "CLASS", values.get("@CLASS@"))));
                Files.createDirectories(out.getParent());
                Files.writeString(out, substitute(template(file.getKey()), values), StandardCharsets.UTF_8);
            }
            try {
                Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(staging, target);
            }
            staging = null;
        } catch (IOException e) {
            throw new DbtoolException(ExitCodes.CANT_CREATE, "plugins new: cannot write " + target + ": " + reason(e));
        } finally {
            deleteQuietly(staging);
        }
    }

    private Map<String, String> values() {
        Properties versions = new Properties();
        try (InputStream in = PluginScaffold.class.getResourceAsStream("/dbtool/core/scaffold.properties")) {
            versions.load(in);
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("scaffold.properties is missing from dbtool-core", e);
        }
        Map<String, String> values = new LinkedHashMap<>();
        values.put("@NAME@", name);
        values.put("@UPPER@", name.toUpperCase(Locale.ROOT));
        values.put("@CLASS@", Character.toUpperCase(name.charAt(0)) + name.substring(1));
        values.put("@PACKAGE@", javaPackage);
        values.put("@GROUP@", javaPackage.substring(0, javaPackage.lastIndexOf('.')));
        values.put("@PORT@", Integer.toString(port));
        values.put("@DBTOOL_VERSION@", versions.getProperty("dbtool.version"));
        for (String key : new String[] {"junit", "compiler", "surefire", "jar", "resources", "assembly", "clean", "install"}) {
            values.put("@" + key.toUpperCase(Locale.ROOT) + "@", versions.getProperty(key));
        }
        return values;
    }

    private static String template(String resource) throws IOException {
        try (InputStream in = PluginScaffold.class.getResourceAsStream("/dbtool/core/scaffold/" + resource)) {
            if (in == null) {
                throw new IllegalStateException("template " + resource + " is missing from dbtool-core");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static String substitute(String text, Map<String, String> values) {
        String result = text;
        for (Map.Entry<String, String> value : values.entrySet()) {
            result = result.replace(value.getKey(), value.getValue());
        }
        return result;
    }

    private static String reason(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileSystemException fs && fs.getReason() != null) {
            return fs.getReason();
        }
        return e.getMessage() == null ? "an I/O error" : e.getMessage();
    }

    private static void deleteQuietly(Path folder) {
        if (folder == null) {
            return;
        }
        try (Stream<Path> paths = Files.walk(folder)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            // best effort: the staging folder is hidden and named after the target
        }
    }
}
