/*
 * Turns the assembled bundle folder into what ships, run by the build as a single-file Java
 * program (java PackageBundle.java ...), so it works the same on Linux, Windows and macOS:
 *
 *   1. LICENSES/: the licence and notice files found in every shipped jar; for a jar without
 *      any, the texts in src/licenses/<artifact>/ (assembled into licenses-supplied/)
 *   2. runtime/: a jlink image with dbtool.core, its libraries and only the JDK modules needed;
 *      lib/ is then removed (its modules live in the image)
 *   3. runtime/lib/dbtool.aot: an AOT cache recorded from a training run of the launcher (TRAINING)
 *   4. archives: dbtool-VERSION-OS-ARCH.tar.gz (.zip on Windows) without the Snowflake plugin,
 *      and dbtool-plugin-snowflake-VERSION-OS-ARCH with only that plugin (its driver is ~90 MB)
 *   5. SHA256SUMS for the archives
 *
 * Usage: java PackageBundle.java BUNDLE_DIR OUTPUT_DIR VERSION OS ARCH JDK_MODULES
 */

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.jar.JarFile;
import java.util.spi.ToolProvider;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

public class PackageBundle {

    public static void main(String[] args) throws Exception {
        Path bundle = Path.of(args[0]).toAbsolutePath();
        Path output = Path.of(args[1]).toAbsolutePath();
        String version = args[2];
        String os = args[3];
        String arch = args[4];
        // args[6]: extra JDK modules asked for at build time (bundle.jdk.extra.modules), possibly empty.
        String extra = args.length > 6 ? args[6].strip() : "";
        String jdkModules = extra.isEmpty() ? args[5] : args[5] + "," + extra;
        boolean windows = os.equals("windows");

        shareLibraries(bundle);
        licenses(bundle);
        jlink(bundle, jdkModules);
        trainAot(bundle, windows);

        String name = "dbtool-" + version + "-" + os + "-" + arch;
        String extension = windows ? ".zip" : ".tar.gz";
        Path main = output.resolve(name + extension);
        Path snowflake = output.resolve("dbtool-plugin-snowflake-" + version + "-" + os + "-" + arch + extension);
        Predicate<Path> isSnowflake = p -> bundle.relativize(p).startsWith(Path.of("plugins", "snowflake"));
        archive(bundle, name, main, isSnowflake.negate(), windows);
        archive(bundle, name, snowflake, p -> isSnowflake.test(p) || p.equals(bundle.resolve("plugins")), windows);
        checksums(output, List.of(main, snowflake));
        System.out.println("[bundle] " + main.getFileName() + ", " + snowflake.getFileName() + " and SHA256SUMS in " + output);
    }

    private static Path toolkitJar(Path folder) throws IOException {
        try (Stream<Path> list = Files.list(folder)) {
            return list.filter(p -> p.getFileName().toString().matches("dbtool-toolkit-.*\\.jar")).findFirst().orElse(null);
        }
    }

    /**
     * Copies META-INF licence and notice files of each jar into LICENSES/<jar name>/. A jar with none
     * gets the texts of licenses-supplied/<artifact>/ (artifact: the jar name without its version),
     * else a note pointing to the SBOM. licenses-supplied/ does not ship itself.
     */
    static void licenses(Path bundle) throws IOException {
        Path target = bundle.resolve("LICENSES");
        Path supplied = bundle.resolve("licenses-supplied");
        List<Path> jars = new ArrayList<>();
        for (Path dir : List.of(bundle.resolve("lib"), bundle.resolve("plugins"), bundle.resolve("store"), bundle.resolve("change"),
                bundle.resolve("tracing"))) {
            if (Files.isDirectory(dir)) {
                try (Stream<Path> files = Files.walk(dir)) {
                    files.filter(p -> p.toString().endsWith(".jar")).sorted().forEach(jars::add);
                }
            }
        }
        for (Path jar : jars) {
            String name = jar.getFileName().toString().replaceFirst("\\.jar$", "");
            Path folder = target.resolve(name);
            int found = 0;
            try (JarFile file = new JarFile(jar.toFile())) {
                for (var entry : java.util.Collections.list(file.entries())) {
                    String entryName = entry.getName();
                    String upper = entryName.toUpperCase();
                    boolean legal = upper.startsWith("META-INF/") && !entry.isDirectory()
                            && (upper.contains("LICENSE") || upper.contains("NOTICE") || upper.contains("COPYING"));
                    if (legal) {
                        Files.createDirectories(folder);
                        try (InputStream in = file.getInputStream(entry)) {
                            Files.copy(in, folder.resolve(entryName.substring(entryName.lastIndexOf('/') + 1)),
                                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                        }
                        found++;
                    }
                }
            }
            Path texts = supplied.resolve(name.replaceFirst("-\\d[^-]*(-SNAPSHOT)?$", ""));
            if (found == 0 && Files.isDirectory(texts)) {
                Files.createDirectories(folder);
                try (Stream<Path> files = Files.list(texts)) {
                    for (Path text : files.sorted().toList()) {
                        Files.copy(text, folder.resolve(text.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                        found++;
                    }
                }
            }
            if (found == 0) {
                Files.createDirectories(folder);
                Files.writeString(folder.resolve("README.txt"), jar.getFileName()
                        + " carries no licence file; its licence is named in sbom.cdx.json.\n");
            }
        }
        delete(supplied);
    }

    /**
     * Gives every plugin folder the modules it requires that another folder holds. maven-assembly
     * adds an artifact to the first dependency set that matches it only, so a library several
     * plugins share (the plugin toolkit) would land in one folder and the others would fail to
     * load; each folder is its own module layer and needs its own copy.
     */
    static void shareLibraries(Path bundle) throws IOException {
        Path plugins = bundle.resolve("plugins");
        if (!Files.isDirectory(plugins)) {
            return;
        }
        Map<String, Path> jarOfModule = new HashMap<>();
        List<Path> folders;
        try (Stream<Path> list = Files.list(plugins)) {
            folders = list.filter(Files::isDirectory).sorted().toList();
        }
        for (Path folder : folders) {
            for (ModuleReference module : ModuleFinder.of(folder).findAll()) {
                module.location().ifPresent(uri -> jarOfModule.putIfAbsent(module.descriptor().name(), Path.of(uri)));
            }
        }
        for (Path folder : folders) {
            Set<String> present = new HashSet<>();
            Set<String> required = new TreeSet<>();
            for (ModuleReference module : ModuleFinder.of(folder).findAll()) {
                present.add(module.descriptor().name());
                module.descriptor().requires().forEach(r -> required.add(r.name()));
            }
            for (String name : required) {
                Path jar = jarOfModule.get(name);
                if (!present.contains(name) && jar != null && !jar.getParent().equals(folder)) {
                    Files.copy(jar, folder.resolve(jar.getFileName()));
                }
            }
        }
    }

    /** Links the runtime image from lib/ and the JDK, then removes lib/. */
    static void jlink(Path bundle, String jdkModules) throws IOException {
        Path runtime = bundle.resolve("runtime");
        delete(runtime);
        explicitModules(bundle.resolve("lib"));
        ToolProvider jlink = ToolProvider.findFirst("jlink").orElseThrow(() -> new IllegalStateException("no jlink in this JDK"));
        StringWriter out = new StringWriter();
        int code = jlink.run(new PrintWriter(out), new PrintWriter(out),
                "--module-path", bundle.resolve("lib").toString(),
                "--add-modules", "dbtool.core,dbtool.logs,dbtool.serve,dbtool.top,dbtool.triage,dbtool.change,dbtool.monitoring,"
                        // Angus provides Jakarta Mail's SMTP transport and activation's registries as services, which jlink does not bind by itself
                        + "org.eclipse.angus.mail,org.eclipse.angus.activation,org.jline.terminal.ffm," + jdkModules,
                "--strip-debug", "--no-header-files", "--no-man-pages", "--compress=zip-6",
                "--output", runtime.toString());
        if (code != 0) {
            throw new IllegalStateException("jlink failed: " + out);
        }
        delete(bundle.resolve("lib"));
    }

    /**
     * jlink links explicit modules only, and some libraries in lib/ are automatic modules (the Prometheus
     * client's jars have only an Automatic-Module-Name). For each, jdeps writes the module descriptor its
     * classes imply (exports every package, requires what they use), javac compiles it against the jar, and
     * the bundle's copy of the jar gets it. Nothing to do when every module is explicit already.
     */
    static void explicitModules(Path lib) throws IOException {
        List<Path> automatic = new ArrayList<>();
        try (Stream<Path> jars = Files.list(lib)) {
            for (Path jar : jars.filter(p -> p.toString().endsWith(".jar")).sorted().toList()) {
                for (ModuleReference module : ModuleFinder.of(jar).findAll()) {
                    if (module.descriptor().isAutomatic()) {
                        automatic.add(jar);
                    }
                }
            }
        }
        if (automatic.isEmpty()) {
            return;
        }
        Path work = Files.createTempDirectory("dbtool-module-info");
        try {
            // --multi-release: lib/ holds multi-release jars (commons-codec), which jdeps refuses to read without it;
            // the descriptors are then written under versions/N/ of each module's folder.
            List<String> jdepsArgs = new ArrayList<>(List.of("--ignore-missing-deps", "--multi-release",
                    String.valueOf(Runtime.version().feature()), "--module-path", lib.toString(),
                    "--generate-module-info", work.resolve("src").toString()));
            automatic.forEach(jar -> jdepsArgs.add(jar.toString()));
            tool("jdeps", jdepsArgs);
            for (Path jar : automatic) {
                String module = ModuleFinder.of(jar).findAll().iterator().next().descriptor().name();
                Path classes = work.resolve("classes").resolve(module);
                Path descriptor;
                try (Stream<Path> files = Files.walk(work.resolve("src").resolve(module))) {
                    descriptor = files.filter(f -> f.endsWith("module-info.java")).findFirst()
                            .orElseThrow(() -> new IllegalStateException("jdeps wrote no module-info.java for " + module));
                }
                tool("javac", List.of("--module-path", lib.toString(), "--patch-module", module + "=" + jar, "-d", classes.toString(),
                        descriptor.toString()));
                tool("jar", List.of("--update", "--file", jar.toString(), "-C", classes.toString(), "module-info.class"));
                System.out.println("module descriptor added to " + lib.relativize(jar) + " (" + module + ")");
            }
        } finally {
            delete(work);
        }
    }

    private static void tool(String name, List<String> args) {
        ToolProvider tool = ToolProvider.findFirst(name).orElseThrow(() -> new IllegalStateException("no " + name + " in this JDK"));
        StringWriter out = new StringWriter();
        if (tool.run(new PrintWriter(out), new PrintWriter(out), args.toArray(String[]::new)) != 0) {
            throw new IllegalStateException(name + " failed: " + out);
        }
    }

    /**
     * What the AOT training run does, as commands typed into one dbtool shell: the classes it loads
     * (the JDK's, core's and the bundled plugins' alike: JDK 25 keeps classes of the plugin layers'
     * loader too) are read from the cache at every later start instead of being parsed from jars.
     * A troubleshoot of a throwaway PostgreSQL (demo; skipped with a message when the build machine
     * has no server binaries) and of a closed port (configuration, targets, planning, the runner,
     * the report) cut a cold troubleshoot's CPU by about a seventh against loading the plugins
     * alone (bench/results.md). plugins comes last so that the shell's exit code is its.
     */
    static final List<String> TRAINING = List.of(
            "demo --format json",
            "troubleshoot postgresql://dbtool-aot-training@127.0.0.1:1/postgres --format json --timeout 3",
            "plugins");

    /** Records the AOT cache from a training run; a failure only costs start-up time. */
    static void trainAot(Path bundle, boolean windows) throws Exception {
        Path launcher = bundle.resolve("bin").resolve(windows ? "dbtool.cmd" : "dbtool");
        ProcessBuilder builder = windows ? new ProcessBuilder("cmd.exe", "/c", launcher.toString())
                : new ProcessBuilder(launcher.toString());
        builder.environment().put("DBTOOL_AOT", "train");
        builder.environment().remove("DBTOOL_PLUGIN_PATH");
        builder.environment().remove("DBTOOL_JAVA_OPTS");
        builder.redirectErrorStream(true);
        Path commands = Files.createTempFile("dbtool-aot", ".commands");
        Files.writeString(commands, String.join(System.lineSeparator(), TRAINING) + System.lineSeparator());
        builder.redirectInput(commands.toFile());
        Path log = Files.createTempFile("dbtool-aot", ".log");
        builder.redirectOutput(log.toFile());
        Process process = builder.start();
        boolean done = process.waitFor(180, TimeUnit.SECONDS);
        if (!done || process.exitValue() != 0 || !Files.exists(bundle.resolve("runtime/lib/dbtool.aot"))) {
            process.destroyForcibly();
            System.out.println("[bundle] warning: no AOT cache recorded; dbtool starts without it. " + Files.readString(log));
        }
        Files.deleteIfExists(commands);
        Files.deleteIfExists(log);
    }

    static void archive(Path bundle, String root, Path archive, Predicate<Path> include, boolean zip) throws IOException {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> all = Files.walk(bundle)) {
            all.filter(p -> !p.equals(bundle)).filter(include).sorted().forEach(files::add);
        }
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(archive))) {
            if (zip) {
                try (ZipOutputStream zipOut = new ZipOutputStream(out)) {
                    for (Path file : files) {
                        String name = root + "/" + bundle.relativize(file).toString().replace('\\', '/') + (Files.isDirectory(file) ? "/" : "");
                        zipOut.putNextEntry(new ZipEntry(name));
                        if (!Files.isDirectory(file)) {
                            Files.copy(file, zipOut);
                        }
                        zipOut.closeEntry();
                    }
                }
            } else {
                try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
                    Tar tar = new Tar(gzip);
                    for (Path file : files) {
                        tar.add(root + "/" + bundle.relativize(file).toString().replace('\\', '/'), file);
                    }
                    tar.finish();
                }
            }
        }
    }

    static void checksums(Path output, List<Path> archives) throws Exception {
        StringBuilder sums = new StringBuilder();
        for (Path archive : archives) {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            try (InputStream in = Files.newInputStream(archive)) {
                byte[] buffer = new byte[1 << 16];
                int read;
                while ((read = in.read(buffer)) > 0) {
                    sha.update(buffer, 0, read);
                }
            }
            sums.append(HexFormat.of().formatHex(sha.digest())).append("  ").append(archive.getFileName()).append('\n');
        }
        Files.writeString(output.resolve("SHA256SUMS"), sums.toString(), StandardCharsets.UTF_8);
    }

    static void delete(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /** A minimal POSIX ustar writer: regular files and folders, executable bits kept. */
    static final class Tar {
        private final OutputStream out;

        Tar(OutputStream out) {
            this.out = out;
        }

        void add(String name, Path file) throws IOException {
            boolean dir = Files.isDirectory(file);
            String entry = dir ? name + "/" : name;
            long size = dir ? 0 : Files.size(file);
            int mode = dir || Files.isExecutable(file) ? 0755 : 0644;
            byte[] header = new byte[512];
            String prefix = "";
            String shortName = entry;
            if (entry.getBytes(StandardCharsets.UTF_8).length > 100) {
                int slash = entry.lastIndexOf('/', entry.length() - (dir ? 2 : 1));
                while (slash > 0 && (slash > 155 || entry.length() - slash - 1 > 100)) {
                    slash = entry.lastIndexOf('/', slash - 1);
                }
                if (slash <= 0) {
                    throw new IOException("path too long for a tar archive: " + entry);
                }
                prefix = entry.substring(0, slash);
                shortName = entry.substring(slash + 1);
            }
            put(header, 0, 100, shortName);
            octal(header, 100, 8, mode);
            octal(header, 108, 8, 0);
            octal(header, 116, 8, 0);
            octal(header, 124, 12, size);
            octal(header, 136, 12, Files.getLastModifiedTime(file).to(TimeUnit.SECONDS));
            header[156] = (byte) (dir ? '5' : '0');
            put(header, 257, 6, "ustar");
            put(header, 263, 2, "00");
            put(header, 345, 155, prefix);
            for (int i = 148; i < 156; i++) {
                header[i] = ' ';
            }
            long sum = 0;
            for (byte b : header) {
                sum += b & 0xff;
            }
            octal(header, 148, 7, sum);
            out.write(header);
            if (!dir) {
                Files.copy(file, out);
                int pad = (int) (512 - size % 512) % 512;
                out.write(new byte[pad]);
            }
        }

        void finish() throws IOException {
            out.write(new byte[1024]);
        }

        private static void put(byte[] header, int offset, int length, String value) {
            byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
            System.arraycopy(bytes, 0, header, offset, Math.min(bytes.length, length));
        }

        private static void octal(byte[] header, int offset, int length, long value) {
            String text = Long.toOctalString(value);
            String padded = "0".repeat(Math.max(0, length - 1 - text.length())) + text;
            put(header, offset, length - 1, padded);
        }
    }
}
