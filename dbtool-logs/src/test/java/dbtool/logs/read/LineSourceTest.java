package dbtool.logs.read;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LineSourceTest {

    private static List<String> lines(LineSource source) throws Exception {
        List<String> lines = new ArrayList<>();
        String line;
        while ((line = source.next()) != null) {
            lines.add(line);
        }
        return lines;
    }

    private static List<String> byBytes(byte[] bytes, List<String> warnings) throws Exception {
        return lines(new LineSource(new ByteArrayInputStream(bytes), warnings::add));
    }

    private static List<String> byReader(String text) throws Exception {
        return lines(new LineSource(new BufferedReader(new StringReader(text)), message -> { }));
    }

    /** Hands out at most one byte per read: every line end falls on a refill. */
    private static final class Trickle extends ByteArrayInputStream {
        Trickle(byte[] bytes) {
            super(bytes);
        }

        @Override
        public synchronized int read(byte[] b, int off, int len) {
            return super.read(b, off, Math.min(len, 1));
        }
    }

    @Test
    void bytesSplitIntoTheLinesAReaderWouldGive() throws Exception {
        String text = "first\nsecond\r\nthird\rfourth\n\n\u00e9t\u00e9 \u2603 \uD83D\uDE00\r\n\r\nlast without end";
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        List<String> expected = byReader(text);
        assertEquals(List.of("first", "second", "third", "fourth", "", "\u00e9t\u00e9 \u2603 \uD83D\uDE00", "", "last without end"), expected);
        assertEquals(expected, byBytes(bytes, new ArrayList<>()));
        assertEquals(expected, lines(new LineSource(new Trickle(bytes), message -> { })), "line ends across refills, \\r\\n split between reads");
    }

    @Test
    void aLineLongerThanTheBufferGrowsItAndAMalformedByteReadsAsAReplacement() throws Exception {
        String longLine = "x".repeat(200_000);
        byte[] bytes = ("a\n" + longLine + "\nb\n").getBytes(StandardCharsets.UTF_8);
        assertEquals(List.of("a", longLine, "b"), byBytes(bytes, new ArrayList<>()));

        List<String> warnings = new ArrayList<>();
        List<String> read = byBytes(new byte[] {'o', 'k', '\n', 'b', (byte) 0xC3, 'd', '\n'}, warnings);
        assertEquals(List.of("ok", "b\uFFFDd"), read);
        assertEquals(1, warnings.size(), warnings.toString());
    }

    @Test
    void anEmptyInputHasNoLines() throws Exception {
        try (InputStream empty = new ByteArrayInputStream(new byte[0])) {
            assertEquals(List.of(), lines(new LineSource(empty, message -> { })));
        }
    }
}
