package dbtool.distribution;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.spi.ToolProvider;
import javax.tools.JavaCompiler;

/**
 * Builds small plugin jars at test time, as a third party would: a named module compiled against
 * nothing but the dbtool-core artifact.
 */
final class PluginJars {

    private PluginJars() {
    }

    /**
     * Compiles the sources (path inside the module, e.g. {@code module-info.java} or
     * {@code x/Y.java}, to their text) into a modular jar.
     *
     * @param modulePath extra module path entries besides dbtool-core (e.g. other compiled modules)
     */
    static Path modularJar(Path work, String module, Map<String, String> sources, List<Path> modulePath, Path jar) throws IOException {
        return modularJar(work, module, sources, modulePath, jar, Map.of());
    }

    /**
     * As {@link #modularJar(Path, String, Map, List, Path)}, with main manifest attributes (for
     * example {@code Dbtool-Engine} and {@code Dbtool-Schemes}).
     */
    static Path modularJar(Path work, String module, Map<String, String> sources, List<Path> modulePath, Path jar,
                           Map<String, String> manifest) throws IOException {
        Path src = work.resolve("src").resolve(module);
        Path classes = work.resolve("classes").resolve(module);
        List<String> files = new ArrayList<>();
        for (Map.Entry<String, String> source : sources.entrySet()) {
            Path file = src.resolve(source.getKey());
            Files.createDirectories(file.getParent());
            Files.writeString(file, source.getValue());
            files.add(file.toString());
        }
        List<String> path = new ArrayList<>();
        path.add(dbtoolCore().toString());
        modulePath.forEach(p -> path.add(p.toString()));
        List<String> args = new ArrayList<>(List.of("--release", "25", "-d", classes.toString(),
                "--module-path", String.join(File.pathSeparator, path)));
        args.addAll(files);
        JavaCompiler javac = javax.tools.ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        if (javac.run(null, null, errors, args.toArray(String[]::new)) != 0) {
            throw new IllegalStateException("javac failed for " + module + ":\n" + errors);
        }
        Files.createDirectories(jar.getParent());
        List<String> jarArgs = new ArrayList<>(List.of("--create", "--file", jar.toString()));
        if (!manifest.isEmpty()) {
            StringBuilder text = new StringBuilder();
            manifest.forEach((name, value) -> text.append(name).append(": ").append(value).append('\n'));
            Path file = work.resolve("manifests").resolve(module + ".mf");
            Files.createDirectories(file.getParent());
            Files.writeString(file, text);
            jarArgs.addAll(List.of("--manifest", file.toString()));
        }
        jarArgs.addAll(List.of("-C", classes.toString(), "."));
        run("jar", jarArgs.toArray(String[]::new));
        return classes;
    }

    /** A plugin module that provides one EnginePlugin: {@code plugin.engine.Engine} with the given body. */
    static Map<String, String> engineSources(String module, String requires, String engineBody) {
        return Map.of(
                "module-info.java", "module " + module + " {\n requires dbtool.core;\n" + requires
                        + " provides dbtool.spi.EnginePlugin with plugin.engine.Engine;\n}\n",
                "plugin/engine/Engine.java", """
                        package plugin.engine;

                        import dbtool.spi.*;
                        import java.util.List;
                        import java.util.Set;

                        public final class Engine implements EnginePlugin {
                        %s
                        }
                        """.formatted(engineBody));
    }

    /** The .java files under a folder, by their path inside it, for {@link #modularJar}. */
    static Map<String, String> sourcesOf(Path folder) throws IOException {
        Map<String, String> sources = new TreeMap<>();
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                sources.put(folder.relativize(file).toString(), Files.readString(file));
            }
        }
        return sources;
    }

    /** Where the dbtool-core classes of this build are (its jar, or target/classes). */
    static Path dbtoolCore() {
        try {
            return Path.of(dbtool.spi.EnginePlugin.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void run(String tool, String... args) {
        StringWriter out = new StringWriter();
        int code = ToolProvider.findFirst(tool).orElseThrow().run(new PrintWriter(out), new PrintWriter(out), args);
        if (code != 0) {
            throw new IllegalStateException(tool + " failed: " + out);
        }
    }
}
