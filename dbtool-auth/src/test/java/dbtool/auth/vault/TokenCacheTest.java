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
        cache.write("hvs.Secret-One".toCharArray(), true);

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

        cache().write("hvs.New".toCharArray(), true);

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
        cache.write("hvs.Mine".toCharArray(), true);
        assertTrue(cache.removeIfOwned());
        assertFalse(Files.exists(cache.file()));
        assertFalse(Files.exists(cache.ownerFile()));

        cache.write("hvs.Mine".toCharArray(), true);
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

        cache.write("hvs.Mine".toCharArray(), true);
        Files.writeString(cache.file(), "hvs.Mine\n");
        assertTrue(cache.writtenByDbtool());
    }

    @Test
    void noFileMeansNoToken() throws Exception {
        assertTrue(cache().read().isEmpty());
        assertFalse(cache().removeIfOwned());
    }

    @Test
    void oneReaderRefusesWhatIsNotATokenAndNamesTheFile() throws Exception {
        Path file = home.resolve(".vault-token");
        Files.write(file, new byte[] {(byte) 0xC3, 0x28, (byte) 0xFF, 0x01});
        dbtool.spi.ConfigurationException junk = org.junit.jupiter.api.Assertions.assertThrows(
                dbtool.spi.ConfigurationException.class, () -> TokenCache.read(file));
        assertTrue(junk.getMessage().startsWith("~/.vault-token (" + file + ") does not hold a Vault token"), junk.getMessage());

        Files.writeString(file, "hvs.first\nhvs.second\n");
        assertTrue(org.junit.jupiter.api.Assertions.assertThrows(dbtool.spi.ConfigurationException.class,
                () -> TokenCache.read(file)).getMessage().contains("does not hold a Vault token"));
        assertFalse(org.junit.jupiter.api.Assertions.assertThrows(dbtool.spi.ConfigurationException.class,
                () -> TokenCache.read(file)).getMessage().contains("hvs.first"));

        Files.writeString(file, " \n");
        assertTrue(TokenCache.read(file).isEmpty(), "an empty file is no token");

        Files.delete(file);
        Files.createDirectory(file);
        assertEquals("~/.vault-token (" + file + ") does not hold a Vault token: it is a directory",
                org.junit.jupiter.api.Assertions.assertThrows(dbtool.spi.ConfigurationException.class,
                        () -> TokenCache.read(file)).getMessage());
    }

    @Test
    void theOwnerRecordSaysWhetherDbtoolLoggedInOrAdoptedTheToken() throws Exception {
        TokenCache cache = cache();
        cache.write("hvs.Logged-In".toCharArray(), true);
        assertEquals(TokenCache.Ownership.LOGIN, cache.ownership());
        cache.write("hvs.Given".toCharArray(), false);
        assertEquals(TokenCache.Ownership.ADOPTED, cache.ownership());
        Files.writeString(cache.file(), "hvs.From-The-Cli");
        assertEquals(TokenCache.Ownership.OTHER, cache.ownership());
    }
}
