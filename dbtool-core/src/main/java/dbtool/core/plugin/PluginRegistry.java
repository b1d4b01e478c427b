package dbtool.core.plugin;

import dbtool.core.DbtoolException;
import dbtool.core.Environment;
import dbtool.spi.CredentialProvider;
import dbtool.spi.DemoScenario;
import dbtool.spi.EnginePlugin;
import dbtool.spi.IdentityReporter;
import dbtool.spi.LoginHandler;
import dbtool.spi.Redaction;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The plugins of this installation, loaded lazily: a layer is created only when a command needs
 * that plugin (the Snowflake driver alone takes about 150 ms to scan), and at most once per process.
 */
public final class PluginRegistry {

    private final List<PluginDirectory> directories;
    private final List<PluginDirectory> shadowed;
    private final Map<String, LoadedPlugin> loaded = new LinkedHashMap<>();

    public PluginRegistry(List<PluginDirectory> directories) {
        this(directories, List.of());
    }

    /** @param shadowed folders hidden by one of the same name found earlier (never loaded, named in messages) */
    public PluginRegistry(List<PluginDirectory> directories, List<PluginDirectory> shadowed) {
        this.directories = List.copyOf(directories);
        this.shadowed = List.copyOf(shadowed);
    }

    /** A registry of plugins already loaded (tests: services without a plugin folder and its layer). */
    public static PluginRegistry ofLoaded(List<LoadedPlugin> plugins) {
        PluginRegistry registry = new PluginRegistry(plugins.stream().map(LoadedPlugin::directory).toList());
        plugins.forEach(p -> registry.loaded.put(p.directory().id(), p));
        return registry;
    }

    public static PluginRegistry discover(Environment environment) {
        return new PluginRegistry(PluginLocator.locate(environment));
    }

    /** As {@link #discover(Environment)}, passing what is wrong with {@code DBTOOL_PLUGIN_PATH} to {@code warnings}. */
    public static PluginRegistry discover(Environment environment, Consumer<String> warnings) {
        PluginLocator.Found found = PluginLocator.search(environment, warnings);
        return new PluginRegistry(found.directories(), found.shadowed());
    }

    /** The folders found, none loaded. */
    public List<PluginDirectory> directories() {
        return directories;
    }

    /** Loads every plugin (for {@code dbtool plugins} and completion); failures are included. */
    public synchronized List<LoadedPlugin> loadAll() {
        return directories.stream().map(this::load).toList();
    }

    /** The engine plugin that handles a URL scheme; loads only the plugins it must. */
    public synchronized Optional<EnginePlugin> engineForScheme(String scheme) {
        String wanted = scheme.toLowerCase(Locale.ROOT);
        for (PluginDirectory directory : directories) {
            if (directory.manifest().map(m -> m.schemes().contains(wanted)).orElse(false)) {
                Optional<EnginePlugin> engine = find(load(directory), e -> e.schemes().contains(wanted));
                if (engine.isPresent()) {
                    return engine;
                }
            }
        }
        // Plugins that did not declare their schemes in the manifest must be loaded to be asked.
        for (PluginDirectory directory : directories) {
            if (directory.manifest().isEmpty()) {
                Optional<EnginePlugin> engine = find(load(directory), e -> e.schemes().contains(wanted));
                if (engine.isPresent()) {
                    return engine;
                }
            }
        }
        return Optional.empty();
    }

    /** The engine plugin with this id (or one of its schemes); loads only the plugins it must. */
    public synchronized Optional<EnginePlugin> engine(String idOrScheme) {
        String wanted = idOrScheme.toLowerCase(Locale.ROOT);
        for (PluginDirectory directory : directories) {
            boolean declared = directory.manifest().map(m -> m.engine().equals(wanted)).orElse(false)
                    || directory.id().equals(wanted);
            if (declared) {
                Optional<EnginePlugin> engine = find(load(directory), e -> e.id().equals(wanted));
                if (engine.isPresent()) {
                    return engine;
                }
            }
        }
        return engineForScheme(wanted).or(() -> loadAll().stream()
                .flatMap(p -> p.engines().stream()).filter(e -> e.id().equals(wanted)).findFirst());
    }

    /** Every URL scheme the installed plugins declare, for messages; loads undeclared plugins. */
    public synchronized List<String> knownSchemes() {
        TreeSet<String> schemes = new TreeSet<>();
        for (PluginDirectory directory : directories) {
            if (directory.manifest().isPresent()) {
                schemes.addAll(directory.manifest().get().schemes());
            } else {
                load(directory).engines().forEach(e -> schemes.addAll(e.schemes()));
            }
        }
        return new ArrayList<>(schemes);
    }

    /** Credential providers of all plugins that provide any, in chain order. */
    public synchronized List<CredentialProvider> credentialProviders() {
        List<CredentialProvider> providers = new ArrayList<>();
        for (PluginDirectory directory : directories) {
            // Engine plugins declare themselves in the manifest and provide no credentials: skip them.
            if (directory.manifest().isEmpty()) {
                providers.addAll(load(directory).credentials());
            }
        }
        providers.sort(Comparator.comparingInt(CredentialProvider::order));
        return providers;
    }

    /** Identity reporters of the plugins that declare no engine (credential plugins), for dbtool auth status. */
    public synchronized List<IdentityReporter> identityReporters() {
        List<IdentityReporter> reporters = new ArrayList<>();
        for (PluginDirectory directory : directories) {
            if (directory.manifest().isEmpty()) {
                reporters.addAll(load(directory).identities());
            }
        }
        return reporters;
    }

    /** Login handlers of the plugins that declare no engine (credential plugins), for dbtool auth login and logout. */
    public synchronized List<LoginHandler> loginHandlers() {
        List<LoginHandler> handlers = new ArrayList<>();
        for (PluginDirectory directory : directories) {
            if (directory.manifest().isEmpty()) {
                handlers.addAll(load(directory).logins());
            }
        }
        return handlers;
    }

    /**
     * The demo scenarios for an engine, from the first plugin folder that has any for it, in the
     * order its module declares them.
     */
    public synchronized List<DemoScenario> demos(String engine) {
        for (PluginDirectory directory : directories) {
            boolean candidate = directory.manifest().map(m -> m.engine().equals(engine)).orElse(true);
            if (candidate) {
                List<DemoScenario> demos = load(directory).demos().stream().filter(d -> d.engine().equals(engine)).toList();
                if (!demos.isEmpty()) {
                    return demos;
                }
            }
        }
        return List.of();
    }

    /** Ids of engines, from manifests where declared (no loading) and from loaded plugins otherwise. */
    public synchronized List<String> engineIds() {
        TreeSet<String> ids = new TreeSet<>();
        for (PluginDirectory directory : directories) {
            if (directory.manifest().isPresent()) {
                ids.add(directory.manifest().get().engine());
            } else {
                load(directory).engines().forEach(e -> ids.add(e.id()));
            }
        }
        return new ArrayList<>(ids);
    }

    /**
     * The engine, or why not: a configuration error (78) naming the plugin and its reason when the
     * plugin meant to provide it failed to load, else a usage error that lists what is installed.
     */
    public EnginePlugin requireEngine(String id) {
        return engine(id).orElseThrow(() -> {
            String shown = Redaction.redact(id);
            return loadFailure(shown, id).orElseGet(() -> DbtoolException.usage("unknown engine '" + shown + "'; installed engines: "
                    + (engineIds().isEmpty() ? "none (no plugins found)" : String.join(", ", engineIds())) + failedPluginsHint()));
        });
    }

    /**
     * When the plugin meant to provide this engine id or URL scheme (its manifest declares it, or its
     * folder has that name) failed to load, the error to report instead of "unknown": the engine is
     * installed but broken, which is a matter of configuration (78), not of the command line.
     *
     * @param shown the id or scheme as it may be shown (the caller has masked anything secret)
     */
    public synchronized Optional<DbtoolException> loadFailure(String shown, String idOrScheme) {
        String wanted = idOrScheme.toLowerCase(Locale.ROOT);
        for (PluginDirectory directory : directories) {
            boolean meant = directory.id().equals(wanted) || directory.manifest()
                    .map(m -> m.engine().equals(wanted) || m.schemes().contains(wanted)).orElse(false);
            LoadedPlugin plugin = meant ? load(directory) : null;
            if (plugin != null && !plugin.ok()) {
                return Optional.of(DbtoolException.config("'" + shown + "' is provided by plugin " + directory.id() + " ("
                        + directory.path() + "), which failed to load: " + plugin.failure().orElse("unknown reason")
                        + hides(directory) + "; 'dbtool plugins' lists every plugin and why"));
            }
        }
        // A folder hidden by one of the same name would have provided it (postgres:// of the bundled
        // postgresql plugin, hidden by a broken ~/.config/dbtool/plugins/postgresql/): name the one in the way.
        for (PluginDirectory hidden : shadowed) {
            boolean meant = hidden.manifest().map(m -> m.engine().equals(wanted) || m.schemes().contains(wanted)).orElse(false);
            Optional<PluginDirectory> inTheWay = directories.stream().filter(d -> d.id().equals(hidden.id())).findFirst();
            if (meant && inTheWay.isPresent()) {
                LoadedPlugin plugin = load(inTheWay.get());
                String why = plugin.ok() ? "which does not provide it" : "which failed to load: " + plugin.failure().orElse("unknown reason");
                return Optional.of(DbtoolException.config("'" + shown + "' is provided by plugin " + hidden.id() + " (" + hidden.path()
                        + "), hidden by the folder of the same name " + inTheWay.get().path() + ", " + why
                        + "; fix or remove that folder ('dbtool plugins' lists every plugin and why)"));
            }
        }
        return Optional.empty();
    }

    /** ", which hides the bundled one at PATH" when the failed folder hides one of the same name; else empty. */
    private String hides(PluginDirectory directory) {
        return shadowed.stream().filter(s -> s.id().equals(directory.id())).findFirst()
                .map(s -> " (it hides the plugin of the same name at " + s.path() + ")").orElse("");
    }

    /**
     * For "unknown" errors: plugins that failed to load and declare no engine in their manifest may
     * have been the one wanted, so they are named (empty when there are none).
     */
    public synchronized String failedPluginsHint() {
        List<String> failed = new ArrayList<>();
        for (PluginDirectory directory : directories) {
            LoadedPlugin plugin = loaded.get(directory.id());
            if (directory.manifest().isEmpty() && plugin != null && !plugin.ok()) {
                failed.add(directory.id());
            }
        }
        return failed.isEmpty() ? "" : "; plugins that failed to load: " + String.join(", ", failed) + " (see 'dbtool plugins')";
    }

    private LoadedPlugin load(PluginDirectory directory) {
        return loaded.computeIfAbsent(directory.id(), id -> PluginLayerFactory.load(directory));
    }

    private static Optional<EnginePlugin> find(LoadedPlugin plugin, Predicate<EnginePlugin> test) {
        return plugin.engines().stream().filter(test).findFirst();
    }
}
