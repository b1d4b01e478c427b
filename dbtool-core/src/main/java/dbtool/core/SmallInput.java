package dbtool.core;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * A file named on the command line, or standard input for {@code -}, read whole as UTF-8: webhook
 * payloads and saved reports. A cap far above any real one makes a wrong file (a log, an image) a
 * one-line refusal instead of a heap's worth of reading.
 */
public final class SmallInput {

    /** Far above any webhook payload or report (Alertmanager's hold a few KB per alert). */
    public static final int MAX_BYTES = 16 << 20;

    private SmallInput() {
    }

    /** How a message names the input: its path, or "standard input" for {@code -}. */
    public static String name(String file) {
        return file.equals("-") ? "standard input" : file;
    }

    /**
     * The whole text of {@code file}; exit 66 when it cannot be read, 64 when it is larger than the cap.
     *
     * @param whatItIs what the input should be, for the too-large message ("webhook payload")
     */
    public static String read(String file, String whatItIs) {
        byte[] bytes;
        try (InputStream in = file.equals("-") ? System.in : Files.newInputStream(Path.of(file))) {
            bytes = in.readNBytes(MAX_BYTES + 1);
        } catch (NoSuchFileException e) {
            throw new DbtoolException(ExitCodes.NO_INPUT, file + ": no such file");
        } catch (IOException e) {
            throw new DbtoolException(ExitCodes.NO_INPUT, file + ": cannot read: " + IoErrors.describe(e));
        }
        if (bytes.length > MAX_BYTES) {
            throw DbtoolException.usage(name(file) + ": larger than " + (MAX_BYTES >> 20) + " MiB, which no " + whatItIs + " is");
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
