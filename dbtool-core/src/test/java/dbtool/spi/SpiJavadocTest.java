package dbtool.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The SPI's Javadoc is what a third-party plugin author reads: it must stand on its own and say
 * what the code does.
 */
class SpiJavadocTest {

    private static final Path SPI = Path.of("src/main/java/dbtool/spi");

    private static List<Path> sources() throws IOException {
        try (Stream<Path> files = Files.list(SPI)) {
            return files.filter(f -> f.toString().endsWith(".java")).sorted().toList();
        }
    }

    @Test
    void itRefersToNoDocumentOutsideTheRepository() throws IOException {
        List<Path> sources = sources();
        assertTrue(sources.size() > 10, "the SPI sources are found from " + SPI.toAbsolutePath());
        Pattern outside = Pattern.compile("DESIGN\\.md|\\.\\./shared|shared/DESIGN");
        for (Path source : sources) {
            Matcher matcher = outside.matcher(Files.readString(source));
            assertFalse(matcher.find(), source.getFileName() + " refers to " + (matcher.hitEnd() ? "" : matcher.group())
                    + ", which plugin authors do not have");
        }
    }

    @Test
    void loginHandlerSaysOnlyUsageExceptionIsExit64() throws IOException {
        // Core maps UsageException to exit 64 and every other exception of login() to 3 (AuthCommand).
        String javadoc = Files.readString(SPI.resolve("LoginHandler.java"));
        Matcher throwsExit64 = Pattern.compile("@throws\\s+(\\w+)[^@]*?\\(exit 64\\)").matcher(javadoc);
        assertTrue(throwsExit64.find(), "login() documents which exception means exit 64");
        assertEquals("UsageException", throwsExit64.group(1));
        assertFalse(throwsExit64.find(), "only one exception means exit 64");
    }
}
