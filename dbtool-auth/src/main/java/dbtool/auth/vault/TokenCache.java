package dbtool.auth.vault;

import dbtool.spi.ConfigurationException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
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
 * the token dbtool wrote (never the token) and whether dbtool created it by logging in or adopted
 * it ({@code --method token}). {@code dbtool auth logout} revokes only a token dbtool logged in
 * for, and deletes the token file only while that hash still matches, so a token written since by
 * {@code vault login} is left alone.
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

    /** The cached token, trimmed; empty when there is no file or it is empty. The caller clears the array. */
    Optional<char[]> read() {
        return read(file);
    }

    /**
     * The one reader of a Vault token file (dbtool's cache, or one the Vault CLI wrote): surrounding
     * whitespace is ignored (an editor's newline), an empty file is no token, and anything else that is
     * not printable ASCII is refused rather than sent to Vault as a header.
     *
     * @throws ConfigurationException naming the file when it is a directory, unreadable, or not a token
     */
    static Optional<char[]> read(Path file) {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        String name = "~/.vault-token (" + file + ")";
        if (Files.isDirectory(file)) {
            throw new ConfigurationException(name + " does not hold a Vault token: it is a directory");
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            // The JDK's message is only the path again: say what kind of failure it was.
            throw new ConfigurationException(name + " cannot be read: " + (e instanceof AccessDeniedException
                    ? "permission denied" : e.getClass().getSimpleName()));
        }
        try {
            int start = 0;
            int end = bytes.length;
            while (start < end && isSpace(bytes[start])) {
                start++;
            }
            while (end > start && isSpace(bytes[end - 1])) {
                end--;
            }
            char[] token = new char[end - start];
            for (int i = start; i < end; i++) {
                if (bytes[i] < 0x21 || bytes[i] > 0x7e) {
                    Arrays.fill(token, '\0');
                    throw new ConfigurationException(name + " does not hold a Vault token (it has control or non-ASCII"
                            + " characters); run 'dbtool auth login' or remove it");
                }
                token[i - start] = (char) bytes[i];
            }
            return token.length == 0 ? Optional.empty() : Optional.of(token);
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    private static boolean isSpace(byte b) {
        return b == ' ' || b == '\t' || b == '\n' || b == '\r';
    }

    /**
     * Replaces the token file atomically (mode 0600 from the start) and records that dbtool wrote it,
     * and whether dbtool created the token by logging in (then logout revokes it) or adopted an existing
     * one ({@code --method token}: it may be shared, so logout leaves it valid).
     */
    void write(char[] token, boolean createdByLogin) throws IOException {
        byte[] bytes = utf8(token);
        try {
            replace(file, bytes);
            Files.createDirectories(owner.getParent());
            replace(owner, ("sha256:" + sha256(bytes) + " " + (createdByLogin ? LOGIN : ADOPTED) + "\n")
                    .getBytes(StandardCharsets.US_ASCII));
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    /** What the ownership record says of the token file now. */
    enum Ownership {
        /** dbtool wrote it after logging in: the token is dbtool's to revoke */
        LOGIN,
        /** dbtool wrote it with a token it was given ({@code --method token}): not dbtool's to revoke */
        ADOPTED,
        /** somebody else wrote it (the Vault CLI), or wrote over dbtool's */
        OTHER
    }

    private static final String LOGIN = "login";
    private static final String ADOPTED = "adopted";

    /** Whether the token file holds the token dbtool wrote last, and how dbtool got it. */
    Ownership ownership() throws IOException {
        if (!Files.isRegularFile(owner)) {
            return Ownership.OTHER;
        }
        Optional<char[]> token = read();
        if (token.isEmpty()) {
            return Ownership.OTHER;
        }
        byte[] bytes = utf8(token.get());
        try {
            String[] record = Files.readString(owner, StandardCharsets.US_ASCII).trim().split(" ");
            if (!record[0].equals("sha256:" + sha256(bytes))) {
                return Ownership.OTHER;
            }
            // A record without the second word predates it: those were all logins.
            return record.length > 1 && record[1].equals(ADOPTED) ? Ownership.ADOPTED : Ownership.LOGIN;
        } finally {
            Arrays.fill(bytes, (byte) 0);
            Arrays.fill(token.get(), '\0');
        }
    }

    /** Whether the token file holds the token dbtool wrote last. */
    boolean writtenByDbtool() throws IOException {
        return ownership() != Ownership.OTHER;
    }

    /**
     * Deletes the token file if dbtool wrote it, and the ownership record in any case.
     *
     * @return whether the token file was deleted
     */
    boolean removeIfOwned() throws IOException {
        // Checked again right before the delete: a 'vault login' since the logout began keeps its file.
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
