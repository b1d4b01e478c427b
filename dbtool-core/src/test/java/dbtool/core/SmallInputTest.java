package dbtool.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SmallInputTest {

    @TempDir
    Path dir;

    @Test
    void aFileIsReadWholeAsUtf8() throws IOException {
        Path file = Files.writeString(dir.resolve("payload.json"), "{\"alerts\": [\"caf\u00e9\"]}");
        assertEquals("{\"alerts\": [\"caf\u00e9\"]}", SmallInput.read(file.toString(), "webhook payload"));
    }

    @Test
    void aMissingFileIsNoInputNamingIt() {
        String missing = dir.resolve("none.json").toString();
        DbtoolException e = assertThrows(DbtoolException.class, () -> SmallInput.read(missing, "webhook payload"));
        assertEquals(ExitCodes.NO_INPUT, e.exitCode());
        assertEquals(missing + ": no such file", e.getMessage());
    }

    @Test
    void aFileLargerThanTheCapIsAUsageErrorSayingWhatItShouldHaveBeen() throws IOException {
        Path big = dir.resolve("big.log");
        try (OutputStream out = Files.newOutputStream(big)) {
            byte[] chunk = new byte[1 << 20];
            for (int i = 0; i <= SmallInput.MAX_BYTES >> 20; i++) {
                out.write(chunk);
            }
        }
        DbtoolException e = assertThrows(DbtoolException.class, () -> SmallInput.read(big.toString(), "webhook payload"));
        assertEquals(ExitCodes.USAGE, e.exitCode());
        assertEquals(big + ": larger than 16 MiB, which no webhook payload is", e.getMessage());
    }

    @Test
    void standardInputIsNamedAsSuch() {
        assertEquals("standard input", SmallInput.name("-"));
        assertEquals("a.json", SmallInput.name("a.json"));
    }
}
