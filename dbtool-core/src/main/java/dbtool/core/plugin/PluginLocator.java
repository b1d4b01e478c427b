package dbtool.core.plugin;

import dbtool.core.Environment;
import java.io.File;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * Finds plugin folders, without loading them.
 *
 * <p>Search order, first one wins for a given folder name (so a user can replace a bundled
 * plugin): each entry of {@code DBTOOL_PLUGIN_PATH} (a plugin folder itself, when it holds jars,
 * or a folder of plugin folders), then {@code plugins/} in the configuration directory, then
 * {@code plugins/} in the bundle.
 */
public final class PluginLocator {

    /** Manifest attribute naming the engine id a plugin provides. */
    public static final String ENGINE_ATTRIBUTE = "Dbtool-Engine";
    /** Manifest attribute listing the URL schemes, comma separated. */
    public static final String SCHEMES_ATTRIBUTE = "Dbtool-Schemes";

    private PluginLocator() {
    }

    public static List<PluginDirectory> locate(Environment environment) {
        return locate(environment, warning -> { });
    }

    /**
     * As {@link #locate(Environment)}; an entry of {@code DBTOOL_PLUGIN_PATH} that is not a folder
     * (a typo, a jar named instead of its folder) is passed to {@code warnings}, once each, and skipped:
     * otherwise the plugin it was meant to add would be missing without a word.
     */
    public static List<PluginDirectory> locate(Environment environment, Consumer<String> warnings) {
        return search(environment, warnings).directories();
    }

    /**
     * The plugin folders, and those hidden by an earlier folder of the same name (a user's
     * {@code plugins/postgresql/} hides the bundled one): when the earlier one is broken, the
     * message about the missing engine names both.
     */
    public record Found(List<PluginDirectory> directories, List<PluginDirectory> shadowed) {
    }

    /** As {@link #locate(Environment, Consumer)}, with the folders that were hidden. */
    public static Found search(Environment environment, Consumer<String> warnings) {
        Map<String, PluginDirectory> found = new LinkedHashMap<>();
        List<PluginDirectory> shadowed = new ArrayList<>();
        environment.get("DBTOOL_PLUGIN_PATH").ifPresent(path -> {
            for (String entry : path.split(File.pathSeparator)) {
                if (entry.isBlank()) {
                    continue;
                }
                Path folder;
                try {
                    folder = Path.of(entry.trim());
                } catch (InvalidPathException e) {
                    warnings.accept("DBTOOL_PLUGIN_PATH: '" + entry.trim() + "' is not a valid path (" + e.getReason() + "); skipped");
                    continue;
                }
                if (!Files.exists(folder)) {
                    warnings.accept("DBTOOL_PLUGIN_PATH: " + folder + " does not exist; skipped");
                } else if (!Files.isDirectory(folder)) {
                    warnings.accept("DBTOOL_PLUGIN_PATH: " + folder + " is a file, not a folder"
                            + (folder.toString().endsWith(".jar") ? " (name the folder that holds the plugin's jars)" : "") + "; skipped");
                } else {
                    addEntry(folder, "DBTOOL_PLUGIN_PATH", found, shadowed);
                }
            }
        });
        addParent(environment.configDir().resolve("plugins"), "user", found, shadowed);
        if (environment.bundleHome() != null) {
            addParent(environment.bundleHome().resolve("plugins"), "bundle", found, shadowed);
        }
        return new Found(List.copyOf(found.values()), List.copyOf(shadowed));
    }

    private static void addEntry(Path entry, String origin, Map<String, PluginDirectory> found, List<PluginDirectory> shadowed) {
        if (!Files.isDirectory(entry)) {
            return;
        }
        if (!jars(entry).isEmpty()) {
            add(entry, origin, found, shadowed);
        } else {
            addParent(entry, origin, found, shadowed);
        }
    }

    private static void addParent(Path parent, String origin, Map<String, PluginDirectory> found, List<PluginDirectory> shadowed) {
        if (!Files.isDirectory(parent)) {
            return;
        }
        try (Stream<Path> children = Files.list(parent)) {
            children.filter(Files::isDirectory).sorted().forEach(dir -> add(dir, origin, found, shadowed));
        } catch (IOException e) {
            // An unreadable plugins folder is the same as an empty one; `dbtool plugins` shows what was found.
        }
    }

    private static void add(Path dir, String origin, Map<String, PluginDirectory> found, List<PluginDirectory> shadowed) {
        String id = dir.getFileName().toString();
        PluginDirectory directory = new PluginDirectory(id, dir, origin, manifest(dir));
        if (found.putIfAbsent(id, directory) != null) {
            shadowed.add(directory);
        }
    }

    /** The jars of a plugin folder, sorted by name. */
    static List<Path> jars(Path dir) {
        List<Path> jars = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir, "*.jar")) {
            stream.forEach(jars::add);
        } catch (IOException e) {
            return List.of();
        }
        jars.sort(null);
        return jars;
    }

    /** Reads the engine metadata from the first jar that declares it; a broken jar declares nothing. */
    private static Optional<PluginDirectory.PluginManifest> manifest(Path dir) {
        for (Path jar : jars(dir)) {
            try (JarFile file = new JarFile(jar.toFile(), false)) {
                var manifest = file.getManifest();
                if (manifest == null) {
                    continue;
                }
                Attributes attributes = manifest.getMainAttributes();
                String engine = attributes.getValue(ENGINE_ATTRIBUTE);
                String schemes = attributes.getValue(SCHEMES_ATTRIBUTE);
                if (engine != null && schemes != null) {
                    List<String> list = Arrays.stream(schemes.split(","))
                            .map(s -> s.trim().toLowerCase(Locale.ROOT)).filter(s -> !s.isEmpty()).toList();
                    return Optional.of(new PluginDirectory.PluginManifest(engine.trim(), list));
                }
            } catch (IOException | SecurityException e) {
                // Not a readable jar: loading the layer will report the real reason.
            }
        }
        return Optional.empty();
    }
}
