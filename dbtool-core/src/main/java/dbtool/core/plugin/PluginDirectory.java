package dbtool.core.plugin;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A folder of jars that forms one plugin, before anything in it is loaded.
 *
 * @param id       the folder's name
 * @param path     the folder
 * @param origin   where it was found: {@code bundle}, {@code user} or {@code DBTOOL_PLUGIN_PATH}
 * @param manifest what the plugin's jar manifest declares, when it declares it; lets dbtool pick
 *                 the plugin for a URL scheme without creating its layer
 */
public record PluginDirectory(String id, Path path, String origin, Optional<PluginManifest> manifest) {

    /** Declared engine metadata, read from {@code Dbtool-Engine} and {@code Dbtool-Schemes} manifest attributes. */
    public record PluginManifest(String engine, List<String> schemes) {
        public PluginManifest {
            schemes = List.copyOf(schemes);
        }
    }
}
