package dbtool.core.plugin;

import dbtool.spi.CredentialProvider;
import dbtool.spi.DemoScenario;
import dbtool.spi.EnginePlugin;
import dbtool.spi.IdentityReporter;
import dbtool.spi.LoginHandler;
import java.lang.module.FindException;
import java.lang.module.ResolutionException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
            ModuleLayer layer = JarLayer.of(jars);
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
            return LoadedPlugin.failed(directory, missingJdkModule(oneLine(e)).orElse(oneLine(e)));
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

    private static final Pattern MODULE_NOT_FOUND = Pattern.compile("Module ((?:java|jdk)\\.[\\w.]+) not found, required by ([\\w.]+)");

    /**
     * A driver that requires a JDK module the runtime image lacks cannot be fixed by the plugin's
     * team on the host (the bundle's runtime is fixed at build time), so the reason says which module
     * and what to do, rather than only the resolver's words.
     */
    static Optional<String> missingJdkModule(String reason) {
        Matcher matcher = MODULE_NOT_FOUND.matcher(reason);
        if (!matcher.find() || ModuleLayer.boot().findModule(matcher.group(1)).isPresent()) {
            return Optional.empty();
        }
        return Optional.of("module " + matcher.group(2) + " requires JDK module " + matcher.group(1)
                + ", which this dbtool runtime does not include: use a dbtool bundle built with it"
                + " (bundle.jdk.extra.modules) or a driver version that does not require it; see 'JDK modules' in docs/plugins.md");
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
