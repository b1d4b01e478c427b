package dbtool.core.plugin;

import dbtool.spi.CredentialProvider;
import dbtool.spi.DemoScenario;
import dbtool.spi.EnginePlugin;
import dbtool.spi.IdentityReporter;
import dbtool.spi.LoginHandler;
import java.lang.module.Configuration;
import java.lang.module.FindException;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.lang.module.ResolutionException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Resolves one plugin folder into its own {@link ModuleLayer} on top of the boot layer and finds
 * its services there.
 *
 * <p>All modules of a folder share one class loader: drivers often reach for their own resources
 * and service files through the context or defining loader, and one loader per plugin is what
 * keeps two plugins' conflicting library versions apart without surprising the drivers.
 */
final class PluginLayerFactory {

    private PluginLayerFactory() {
    }

    static LoadedPlugin load(PluginDirectory directory) {
        List<Path> jars = PluginLocator.jars(directory.path());
        if (jars.isEmpty()) {
            return LoadedPlugin.failed(directory, "no .jar files in " + directory.path());
        }
        try {
            ModuleFinder finder = ModuleFinder.of(jars.toArray(Path[]::new));
            Set<String> roots = finder.findAll().stream()
                    .map(ModuleReference::descriptor)
                    .map(descriptor -> descriptor.name())
                    .collect(Collectors.toSet());
            ModuleLayer boot = ModuleLayer.boot();
            // Every module of the folder is a root, so plain resolution already includes every
            // provider; binding would only search further for services nobody here asked for.
            Configuration configuration = boot.configuration().resolve(finder, ModuleFinder.of(), roots);
            ModuleLayer layer = boot.defineModulesWithOneLoader(configuration, ClassLoader.getSystemClassLoader());
            List<EnginePlugin> engines = services(layer, EnginePlugin.class);
            List<CredentialProvider> credentials = services(layer, CredentialProvider.class);
            List<DemoScenario> demos = services(layer, DemoScenario.class);
            List<IdentityReporter> identities = services(layer, IdentityReporter.class);
            List<LoginHandler> logins = services(layer, LoginHandler.class);
            if (engines.isEmpty() && credentials.isEmpty()) {
                return LoadedPlugin.failed(directory, "provides no dbtool service: its module-info needs "
                        + "'provides dbtool.spi.EnginePlugin with ...' or 'provides dbtool.spi.CredentialProvider with ...'");
            }
            List<String> modules = layer.modules().stream().map(Module::getName).sorted().toList();
            return new LoadedPlugin(directory, modules, engines, credentials, demos, identities, logins, Optional.empty());
        } catch (FindException | ResolutionException | LayerInstantiationException e) {
            return LoadedPlugin.failed(directory, oneLine(e));
        } catch (ServiceConfigurationError e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            return LoadedPlugin.failed(directory, "its service could not be created: " + oneLine(cause));
        } catch (RuntimeException | LinkageError e) {
            return LoadedPlugin.failed(directory, e.getClass().getSimpleName() + ": " + oneLine(e));
        }
    }

    /** Providers declared by modules of this layer only, not of the parent layers. */
    private static <S> List<S> services(ModuleLayer layer, Class<S> type) {
        List<S> providers = new ArrayList<>();
        for (ServiceLoader.Provider<S> provider : ServiceLoader.load(layer, type).stream().toList()) {
            if (provider.type().getModule().getLayer() == layer) {
                providers.add(provider.get());
            }
        }
        return providers;
    }

    private static String oneLine(Throwable e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        Throwable cause = e.getCause();
        if (cause != null && cause.getMessage() != null && !message.contains(cause.getMessage())) {
            message = message + ": " + cause.getMessage();
        }
        return message.replaceAll("\\s+", " ").trim();
    }
}
