package dbtool.core.plugin;

import java.lang.module.Configuration;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Jars resolved into a module layer of their own on top of the boot layer, all modules with one class loader: how a
 * plugin folder is loaded, and the bundle's folders of libraries that are not in the runtime image (H2 in
 * {@code store/}, OpenTelemetry in {@code tracing/}: automatic modules, which jlink cannot link).
 *
 * <p>One loader per folder because drivers reach for their own resources and service files through the context or
 * defining loader; one layer per folder keeps two folders' library versions apart.
 */
public final class JarLayer {

    private JarLayer() {
    }

    /**
     * The jars of a folder, sorted; none when it cannot be read.
     *
     * @param folder the folder
     * @return its {@code *.jar} files
     */
    public static List<Path> jars(Path folder) {
        return PluginLocator.jars(folder);
    }

    /**
     * A layer of these jars, every module a root.
     *
     * @param jars the jars (explicit or automatic modules)
     * @return the layer, its modules defined to one new class loader whose parent is the system loader
     * @throws java.lang.module.FindException       when a jar is not a valid module or two hold one module
     * @throws java.lang.module.ResolutionException when a module requires one that is missing
     * @throws LayerInstantiationException          when two modules hold the same package
     */
    public static ModuleLayer of(List<Path> jars) {
        ModuleFinder finder = ModuleFinder.of(jars.toArray(Path[]::new));
        Set<String> roots = finder.findAll().stream().map(ModuleReference::descriptor).map(descriptor -> descriptor.name())
                .collect(Collectors.toSet());
        ModuleLayer boot = ModuleLayer.boot();
        // Every module of the folder is a root, so plain resolution already includes every provider; binding
        // would only search further for services nobody here asked for.
        Configuration configuration = boot.configuration().resolve(finder, ModuleFinder.of(), roots);
        return boot.defineModulesWithOneLoader(configuration, ClassLoader.getSystemClassLoader());
    }
}
