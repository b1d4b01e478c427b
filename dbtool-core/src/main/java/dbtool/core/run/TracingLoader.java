package dbtool.core.run;

import dbtool.core.Environment;
import dbtool.core.Version;
import dbtool.core.plugin.JarLayer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.function.Supplier;

/**
 * Finds the tracing module when, and only when, an OTLP endpoint is configured. OpenTelemetry's jars are
 * automatic modules that find their parts by ServiceLoader, which jlink cannot link: the bundle carries
 * them with {@code dbtool.tracing} in {@code tracing/}, resolved here into a layer of their own, as H2 is
 * (decisions 0009 and 0012). Run from the build, the module is found on the module or class path.
 */
final class TracingLoader {

    /** How long the spans of a command may take to leave when the process ends. */
    static final Duration FLUSH_AT_EXIT = Duration.ofSeconds(2);

    static final Supplier<Tracing> PROCESS = new Supplier<>() {
        private Tracing tracing;

        @Override
        public synchronized Tracing get() {
            if (tracing == null) {
                tracing = load(Environment.system());
            }
            return tracing;
        }
    };

    private TracingLoader() {
    }

    /** Whether the environment asks for spans: an OTLP endpoint, and the SDK not disabled. */
    static boolean configured(Environment environment) {
        boolean endpoint = environment.get("OTEL_EXPORTER_OTLP_ENDPOINT").isPresent()
                || environment.get("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT").isPresent();
        boolean disabled = environment.get("OTEL_SDK_DISABLED").map("true"::equalsIgnoreCase).orElse(false)
                || environment.get("OTEL_TRACES_EXPORTER").map("none"::equalsIgnoreCase).orElse(false);
        return endpoint && !disabled;
    }

    /** The process's tracing; spans left at exit get {@link #FLUSH_AT_EXIT} to leave. */
    static Tracing load(Environment environment) {
        if (!configured(environment)) {
            return Tracing.OFF;
        }
        Optional<TracingProvider> provider;
        try {
            provider = provider(environment);
        } catch (RuntimeException | LinkageError e) {
            return off("its module could not be loaded: " + TroubleshootRunner.reason(e));
        }
        if (provider.isEmpty()) {
            return off("this dbtool has no tracing module (the bundle's tracing/ folder)");
        }
        Tracing tracing;
        try {
            tracing = provider.get().open(environment, Version.get());
        } catch (RuntimeException e) {
            return off(TroubleshootRunner.reason(e));
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> flushAtExit(tracing), "dbtool-tracing-flush"));
        return tracing;
    }

    private static void flushAtExit(Tracing tracing) {
        if (!tracing.flush(FLUSH_AT_EXIT)) {
            System.err.println("dbtool: tracing: spans not delivered within " + FLUSH_AT_EXIT.toSeconds()
                    + " s (is the OTLP collector up?); the diagnosis is not affected");
        }
    }

    private static Tracing off(String reason) {
        System.err.println("dbtool: tracing off: " + reason);
        return Tracing.OFF;
    }

    private static Optional<TracingProvider> provider(Environment environment) {
        Optional<TracingProvider> beside = ServiceLoader.load(TracingProvider.class).findFirst();
        if (beside.isPresent() || environment.bundleHome() == null) {
            return beside;
        }
        Path folder = environment.bundleHome().resolve("tracing");
        if (!Files.isDirectory(folder)) {
            return Optional.empty();
        }
        ModuleLayer layer = JarLayer.of(JarLayer.jars(folder));
        // Core's packages are exported to dbtool.tracing in module-info, but a qualified export reaches a module
        // of the same or a parent layer only: this layer's module gets them here, before any class of it loads.
        Module core = TracingLoader.class.getModule();
        layer.findModule("dbtool.tracing").ifPresent(module -> {
            core.addExports(Environment.class.getPackageName(), module);
            core.addExports(TracingLoader.class.getPackageName(), module);
        });
        return ServiceLoader.load(layer, TracingProvider.class).findFirst();
    }
}
