package dbtool.logs.analysis;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The previous run of {@code dbtool logs} for each source, kept as the baseline of the next one: a
 * small JSON file per source (the files, or the target) under the data directory's {@code logs/}
 * folder, holding every pattern's template and count, not only the ones a report listed. A file per
 * source, replaced whole (written aside, then moved), so that two runs never leave half of one.
 *
 * <p>Kept apart from {@code dbtool serve}'s state store: that one may be a PostgreSQL database shared
 * by replicas, reached through a driver that only serve's module loads, while a baseline belongs to
 * the machine that read the log, and a plain file needs neither.
 */
public final class BaselineStore {

    private static final Gson GSON = new Gson();

    private final Path folder;

    /** @param folder where the baselines are kept (created, owner-only, on the first save) */
    public BaselineStore(Path folder) {
        this.folder = folder;
    }

    /** The file that keeps the previous run of {@code source}. */
    Path file(String source) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(source.getBytes(StandardCharsets.UTF_8));
            return folder.resolve("previous-" + HexFormat.of().formatHex(digest, 0, 12) + ".json");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    /** The previous run of {@code source}, or empty when there was none (or its file cannot be read: it is then replaced). */
    public Optional<Baseline> load(String source) {
        Path file = file(source);
        try {
            JsonObject kept = JsonParser.parseString(Files.readString(file)).getAsJsonObject();
            Map<String, Long> counts = new LinkedHashMap<>();
            for (Map.Entry<String, JsonElement> pattern : kept.getAsJsonObject("patterns").entrySet()) {
                counts.put(pattern.getKey(), pattern.getValue().getAsLong());
            }
            long entries = kept.get("entries").getAsLong();
            if (entries <= 0) {
                return Optional.empty();
            }
            return Optional.of(Baseline.of(counts, entries, "the previous run of " + kept.get("savedAt").getAsString()));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException | JsonParseException | IllegalStateException | NullPointerException | ClassCastException
                 | UnsupportedOperationException e) {
            return Optional.empty();
        }
    }

    /**
     * Keeps this run as the next one's baseline.
     *
     * @param sourceName what the file says it is about, for a reader: redacted, never a secret
     * @throws IOException when the folder or file cannot be written; the caller says so in one line
     */
    public void save(String source, String sourceName, List<Pattern> patterns, long entries, Instant at) throws IOException {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (Pattern pattern : patterns) {
            counts.merge(Printable.of(pattern.template(), 500), pattern.count(), Long::sum);
        }
        Map<String, Object> kept = new LinkedHashMap<>();
        kept.put("source", sourceName);
        kept.put("savedAt", at.toString());
        kept.put("entries", entries);
        kept.put("patterns", counts);
        if (!Files.isDirectory(folder)) {
            if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                Files.createDirectories(folder, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } else {
                Files.createDirectories(folder);
            }
        }
        Path file = file(source);
        Path aside = Files.createTempFile(folder, "previous-", ".tmp");
        try {
            Files.writeString(aside, GSON.toJson(kept));
            try {
                Files.move(aside, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(aside, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(aside);
        }
    }
}
