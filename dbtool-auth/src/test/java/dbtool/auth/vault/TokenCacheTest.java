package dbtool.auth.vault;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenCacheTest {

    @TempDir
    Path home;

    private TokenCache cache() {
        return new TokenCache(new AuthPaths(home, home.resolve(".config").resolve("dbtool")));
    }

    @Test
    void theTokenFileIsPrivateAndTheOwnerRecordHoldsAHashNeverTheToken() throws Exception {
        TokenCache cache = cache();
        cache.write("hvs.Secret-One".toCharArray());

        assertEquals(home.resolve(".vault-token"), cache.file());
        assertEquals("hvs.Secret-One", Files.readString(cache.file()));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(cache.file())));
        String owner = Files.readString(cache.ownerFile());
        assertTrue(owner.startsWith("sha256:"), owner);
        assertFalse(owner.contains("Secret-One"), owner);
        assertArrayEquals("hvs.Secret-One".toCharArray(), cache.read().orElseThrow());
        assertTrue(cache.writtenByDbtool());
    }

    @Test
    void anExistingFileIsReplacedWholeByAMoveNotRewrittenInPlace() throws Exception {
        Path file = home.resolve(".vault-token");
        Files.writeString(file, "hvs.Old");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        Path link = home.resolve("old-link");
        Files.createLink(link, file);

        cache().write("hvs.New".toCharArray());

        // A rename gives the name a new file: the old one (still reachable by its other link) is untouched,
        // and the new one never had the old, readable mode.
        assertEquals("hvs.Old", Files.readString(link));
        assertEquals("hvs.New", Files.readString(file));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        try (var listing = Files.list(home)) {
            assertEquals(List.of(".config", ".vault-token", "old-link"), listing.map(p -> p.getFileName().toString()).sorted().toList(),
                    "no temporary file is left behind");
        }
    }

    @Test
    void logoutRemovesOnlyTheFileDbtoolWrote() throws Exception {
        TokenCache cache = cache();
        cache.write("hvs.Mine".toCharArray());
        assertTrue(cache.removeIfOwned());
        assertFalse(Files.exists(cache.file()));
        assertFalse(Files.exists(cache.ownerFile()));

        cache.write("hvs.Mine".toCharArray());
        Files.writeString(cache.file(), "hvs.FromVaultLogin");   // 'vault login' since
        assertFalse(cache.writtenByDbtool());
        assertFalse(cache.removeIfOwned());
        assertEquals("hvs.FromVaultLogin", Files.readString(cache.file()));
        assertFalse(Files.exists(cache.ownerFile()));
    }

    @Test
    void aFileWithoutOwnerRecordWasNotWrittenByDbtoolAndATrailingNewlineIsIgnored() throws Exception {
        TokenCache cache = cache();
        Files.writeString(cache.file(), "hvs.Cli\n");
        assertFalse(cache.writtenByDbtool());
        assertArrayEquals("hvs.Cli".toCharArray(), cache.read().orElseThrow());

        cache.write("hvs.Mine".toCharArray());
        Files.writeString(cache.file(), "hvs.Mine\n");
        assertTrue(cache.writtenByDbtool());
    }

    @Test
    void noFileMeansNoToken() throws Exception {
        assertTrue(cache().read().isEmpty());
        assertFalse(cache().removeIfOwned());
    }
}
