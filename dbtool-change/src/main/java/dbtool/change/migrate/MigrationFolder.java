package dbtool.change.migrate;

import dbtool.core.DbtoolException;
import dbtool.core.IoErrors;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A folder of migrations in Flyway's convention: {@code V<version>__<description>.sql} runs
 * forward, {@code U<version>__<description>.sql} undoes the version of the same number (run by
 * {@code change rollback}), {@code R__<description>.sql} is repeatable. Read before anything
 * connects, so that a misnamed file, a gap in the versions or a broken script stops the command
 * with one line and nothing applied.
 */
public final class MigrationFolder {

    /** One migration file. {@code version} is null for a repeatable one. */
    public record Migration(char kind, String version, String description, Path file) {

        public String script() {
            return file.getFileName().toString();
        }

        public List<SqlScript.Statement> statements() {
            return SqlScript.split(text(file), file.toString());
        }
    }

    private static final Pattern NAME = Pattern.compile("([VU])(\\d+(?:[._]\\d+)*)__(.+)\\.sql|R__(.+)\\.sql");

    private final Path folder;
    private final TreeMap<BigVersion, Migration> versioned;
    private final TreeMap<BigVersion, Migration> undo;
    private final List<Migration> repeatable;

    private MigrationFolder(Path folder, TreeMap<BigVersion, Migration> versioned, TreeMap<BigVersion, Migration> undo, List<Migration> repeatable) {
        this.folder = folder;
        this.versioned = versioned;
        this.undo = undo;
        this.repeatable = repeatable;
    }

    /**
     * Reads and checks {@code folder}: every {@code .sql} file named by the convention, no
     * version twice, no gap between whole-number versions, every script splittable.
     */
    public static MigrationFolder read(Path folder) {
        if (!Files.isDirectory(folder)) {
            throw DbtoolException.usage("--migrations: " + folder + " is not a folder");
        }
        List<Path> files;
        try (Stream<Path> list = Files.list(folder)) {
            files = list.filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".sql")).sorted().toList();
        } catch (IOException e) {
            throw DbtoolException.usage("--migrations: cannot read " + folder + ": " + IoErrors.describe(e));
        }
        TreeMap<BigVersion, Migration> versioned = new TreeMap<>();
        TreeMap<BigVersion, Migration> undo = new TreeMap<>();
        List<Migration> repeatable = new ArrayList<>();
        for (Path file : files) {
            String name = file.getFileName().toString();
            Matcher m = NAME.matcher(name);
            if (!m.matches()) {
                throw DbtoolException.usage(file + ": malformed migration file name: expected V<version>__<description>.sql,"
                        + " U<version>__<description>.sql or R__<description>.sql (two underscores)");
            }
            if (m.group(4) != null) {
                repeatable.add(new Migration('R', null, m.group(4).replace('_', ' '), file));
                continue;
            }
            char kind = m.group(1).charAt(0);
            String version = m.group(2).replace('_', '.');
            Migration migration = new Migration(kind, version, m.group(3).replace('_', ' '), file);
            TreeMap<BigVersion, Migration> into = kind == 'V' ? versioned : undo;
            Migration before = into.put(BigVersion.of(version), migration);
            if (before != null) {
                throw DbtoolException.usage(file + ": version " + version + " is also " + before.script() + "; each version once");
            }
        }
        checkGaps(folder, versioned);
        for (Migration u : undo.values()) {
            if (!versioned.containsKey(BigVersion.of(u.version()))) {
                throw DbtoolException.usage(u.file() + ": undoes version " + u.version() + ", but there is no V" + u.version() + "__*.sql");
            }
        }
        MigrationFolder read = new MigrationFolder(folder, versioned, undo, repeatable);
        for (Migration m : read.all()) {
            m.statements(); // a malformed script stops here, before anything connects
        }
        return read;
    }

    public Path folder() {
        return folder;
    }

    public List<Migration> versioned() {
        return List.copyOf(versioned.values());
    }

    public Optional<Migration> version(String version) {
        return Optional.ofNullable(versioned.get(BigVersion.of(version)));
    }

    /** The undo script of {@code version}, when the folder has one. */
    public Optional<Migration> undo(String version) {
        return Optional.ofNullable(undo.get(BigVersion.of(version)));
    }

    public List<Migration> all() {
        List<Migration> all = new ArrayList<>(versioned.values());
        all.addAll(undo.values());
        all.addAll(repeatable);
        return all;
    }

    /** Whole-number versions must follow one another: a missing V3 between V2 and V4 is a lost file. */
    private static void checkGaps(Path folder, TreeMap<BigVersion, Migration> versioned) {
        Migration previous = null;
        for (var entry : versioned.entrySet()) {
            Migration m = entry.getValue();
            if (previous != null && entry.getKey().whole() && BigVersion.of(previous.version()).whole()) {
                BigInteger expected = new BigInteger(previous.version()).add(BigInteger.ONE);
                BigInteger actual = new BigInteger(m.version());
                if (!actual.equals(expected)) {
                    throw DbtoolException.usage(folder + ": version gap: no V" + expected + "__*.sql between " + previous.script()
                            + " and " + m.script());
                }
            }
            previous = m;
        }
    }

    private static String text(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (MalformedInputException e) {
            throw DbtoolException.usage(file + ": malformed migration: not UTF-8 text");
        } catch (IOException e) {
            throw DbtoolException.usage(file + ": cannot read: " + IoErrors.describe(e));
        }
    }

    /** A version compared number by number (1.10 after 1.9), as Flyway compares them. */
    record BigVersion(BigInteger[] parts) implements Comparable<BigVersion> {

        static BigVersion of(String version) {
            return new BigVersion(Arrays.stream(version.split("\\.")).map(BigInteger::new).toArray(BigInteger[]::new));
        }

        boolean whole() {
            return parts.length == 1;
        }

        @Override
        public int compareTo(BigVersion other) {
            int length = Math.max(parts.length, other.parts.length);
            for (int i = 0; i < length; i++) {
                BigInteger a = i < parts.length ? parts[i] : BigInteger.ZERO;
                BigInteger b = i < other.parts.length ? other.parts[i] : BigInteger.ZERO;
                int c = a.compareTo(b);
                if (c != 0) {
                    return c;
                }
            }
            return 0;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof BigVersion v && compareTo(v) == 0;
        }

        @Override
        public int hashCode() {
            int length = parts.length;
            while (length > 1 && parts[length - 1].signum() == 0) {
                length--; // 1.0 equals 1
            }
            return Arrays.hashCode(Arrays.copyOf(parts, length));
        }

        @Override
        public String toString() {
            return String.join(".", Arrays.stream(parts).map(BigInteger::toString).toList());
        }
    }
}
