package dbtool.auth.vault;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The Vault token cache: {@code ~/.vault-token}, the file Vault's CLI reads and writes, so a
 * {@code dbtool auth login} also serves {@code vault} and the other way round. It is written
 * atomically (a temporary file created with mode 0600 in the same folder, then moved over), so no
 * reader ever sees half a token and no moment exists where others may read it.
 *
 * <p>Ownership: next to it, in dbtool's own folder, {@code vault-token.owner} holds the SHA-256 of
 * the token dbtool wrote (never the token). {@code dbtool auth logout} deletes the token file only
 * while that hash still matches, so a token written since by {@code vault login} is left alone.
 */
final class TokenCache {

    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    private final Path file;
    private final Path owner;

    TokenCache(AuthPaths paths) {
        this(paths.tokenFile(), paths.configDir().resolve("vault-token.owner"));
    }

    TokenCache(Path file, Path owner) {
        this.file = file;
        this.owner = owner;
    }

    Path file() {
        return file;
    }

    Path ownerFile() {
        return owner;
    }

    /** The cached token, trimmed; empty when there is no readable file. The caller clears the array. */
    Optional<char[]> read() throws IOException {
        if (!Files.isReadable(file)) {
            return Optional.empty();
        }
        byte[] bytes = Files.readAllBytes(file);
        try {
            CharBuffer chars = StandardCharsets.UTF_8.decode(ByteBuffer.wrap(bytes));
            int start = 0;
            int end = chars.limit();
            while (start < end && Character.isWhitespace(chars.get(start))) {
                start++;
            }
            while (end > start && Character.isWhitespace(chars.get(end - 1))) {
                end--;
            }
            char[] token = new char[end - start];
            chars.position(start);
            chars.get(token);
            Arrays.fill(chars.array(), '\0');
            return token.length == 0 ? Optional.empty() : Optional.of(token);
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    /** Replaces the token file atomically (mode 0600 from the start) and records that dbtool wrote it. */
    void write(char[] token) throws IOException {
        byte[] bytes = utf8(token);
        try {
            replace(file, bytes);
            Files.createDirectories(owner.getParent());
            replace(owner, ("sha256:" + sha256(bytes) + "\n").getBytes(StandardCharsets.US_ASCII));
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    /** Whether the token file holds the token dbtool wrote last. */
    boolean writtenByDbtool() throws IOException {
        if (!Files.isRegularFile(owner)) {
            return false;
        }
        Optional<char[]> token = read();
        if (token.isEmpty()) {
            return false;
        }
        // read() trims: the Vault CLI writes no newline, an editor may add one.
        byte[] bytes = utf8(token.get());
        try {
            return Files.readString(owner, StandardCharsets.US_ASCII).trim().equals("sha256:" + sha256(bytes));
        } finally {
            Arrays.fill(bytes, (byte) 0);
            Arrays.fill(token.get(), '\0');
        }
    }

    /**
     * Deletes the token file if dbtool wrote it, and the ownership record in any case.
     *
     * @return whether the token file was deleted
     */
    boolean removeIfOwned() throws IOException {
        boolean owned = writtenByDbtool();
        if (owned) {
            Files.deleteIfExists(file);
        }
        Files.deleteIfExists(owner);
        return owned;
    }

    private static void replace(Path target, byte[] content) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        FileAttribute<?>[] privateFile = POSIX
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))}
                : new FileAttribute<?>[0];
        Path temporary = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp", privateFile);
        try {
            Files.write(temporary, content);
            try {
                Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    private static byte[] utf8(char[] chars) {
        ByteBuffer buffer = StandardCharsets.UTF_8.encode(CharBuffer.wrap(chars));
        byte[] bytes = Arrays.copyOfRange(buffer.array(), buffer.position(), buffer.limit());
        Arrays.fill(buffer.array(), (byte) 0);
        return bytes;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
        }
    }
}
