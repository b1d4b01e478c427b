package dbtool.auth.kerberos;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The little of krb5.conf that dbtool reads itself: {@code default_ccache_name} in
 * {@code [libdefaults]}, which is how RHEL and Fedora make KEYRING: or KCM: the default cache.
 * The files are those MIT reads: KRB5_CONFIG (a list) else /etc/krb5.conf, with their
 * {@code include} and {@code includedir} files.
 */
final class Krb5Conf {

    private Krb5Conf() {
    }

    /** The files to read, in order. */
    static List<Path> files(Function<String, String> environment) {
        String configured = environment.apply("KRB5_CONFIG");
        List<Path> files = new ArrayList<>();
        if (configured == null || configured.isBlank()) {
            files.add(Path.of("/etc/krb5.conf"));
        } else {
            for (String part : configured.split(Pattern.quote(File.pathSeparator))) {
                if (!part.isBlank()) {
                    files.add(Path.of(part));
                }
            }
        }
        return files;
    }

    /**
     * The {@code default_ccache_name} of {@code [libdefaults]}, with %{uid} and %{USERID} expanded, and
     * the file it came from; the first one found wins, as in MIT.
     */
    static Optional<Setting> defaultCcacheName(Function<String, String> environment, String uid) {
        for (Path file : files(environment)) {
            Optional<Setting> found = find(file, uid, 0);
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }

    /** A value and the file that set it. */
    record Setting(String value, Path file) {
    }

    private static Optional<Setting> find(Path file, String uid, int depth) {
        if (depth > 5 || !Files.isReadable(file) || Files.isDirectory(file)) {
            return Optional.empty();
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException | UncheckedIOException e) {
            return Optional.empty();
        }
        String section = "";
        for (String raw : lines) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
                continue;
            }
            if (line.startsWith("include ")) {
                Optional<Setting> found = find(Path.of(line.substring("include ".length()).strip()), uid, depth + 1);
                if (found.isPresent()) {
                    return found;
                }
                continue;
            }
            if (line.startsWith("includedir ")) {
                Path dir = Path.of(line.substring("includedir ".length()).strip());
                // MIT reads the files whose names are letters, digits, '-' and '_' (or end in .conf), sorted.
                try (Stream<Path> entries = Files.isDirectory(dir) ? Files.list(dir) : Stream.empty()) {
                    for (Path included : entries.filter(p -> p.getFileName().toString().matches("[A-Za-z0-9_-]+|.+\\.conf"))
                            .sorted().toList()) {
                        Optional<Setting> found = find(included, uid, depth + 1);
                        if (found.isPresent()) {
                            return found;
                        }
                    }
                } catch (IOException | UncheckedIOException e) {
                    // an unreadable folder sets nothing
                }
                continue;
            }
            if (line.startsWith("[")) {
                section = line.replaceAll("[\\[\\]\\s]", "");
                continue;
            }
            int equals = line.indexOf('=');
            if (section.equals("libdefaults") && equals > 0 && line.substring(0, equals).strip().equals("default_ccache_name")) {
                String value = line.substring(equals + 1).strip();
                return Optional.of(new Setting(value.replace("%{uid}", uid).replace("%{USERID}", uid), file));
            }
        }
        return Optional.empty();
    }
}
