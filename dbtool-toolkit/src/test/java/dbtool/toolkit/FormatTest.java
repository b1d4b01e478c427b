package dbtool.toolkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FormatTest {

    private Locale saved;

    @BeforeEach
    void german() {
        saved = Locale.getDefault();
        Locale.setDefault(Locale.GERMAN);
    }

    @AfterEach
    void restore() {
        Locale.setDefault(saved);
    }

    @Test
    void bytesUseADecimalPointUnderEveryLocale() {
        assertEquals("512 B", Format.bytes(512));
        assertEquals("1.5 kB", Format.bytes(1536));
        assertEquals("3.0 GB", Format.bytes(3L * 1024 * 1024 * 1024));
        assertEquals("2.0 PB", Format.bytes(2.0 * 1024 * 1024 * 1024 * 1024 * 1024));
    }

    @Test
    void durationsSayDaysPastADay() {
        assertEquals("42 s", Format.duration(42));
        assertEquals("5 min 3 s", Format.duration(303));
        assertEquals("25 min", Format.duration(1500));
        assertEquals("2 h 10 min", Format.duration(7800));
        assertEquals("3 d", Format.duration(72 * 3600));
        assertEquals("3 d 4 h", Format.duration(76 * 3600));
    }

    @Test
    void millisecondsForStages() {
        assertEquals("850 ms", Format.millis(850));
        assertEquals("4 s", Format.millis(4000));
        assertEquals("1.5 s", Format.millis(1500));
        assertEquals("2 min", Format.millis(120_000));
    }

    @Test
    void oneLineFoldsAndCuts() {
        assertEquals("SELECT 1 FROM t", Format.oneLine("SELECT 1\n  FROM t", 80));
        assertEquals("abcd…", Format.oneLine("abcdefgh", 5));
        assertEquals("96%", Format.percent(0.956));
    }

    @Test
    void serverTextIsPrintableOnOneLine() {
        // A query text may carry a terminal escape sequence or a bell: the report shows it, the terminal does not obey it.
        assertEquals("SELECT 1 \\u001b[2J FROM t \\u0007", Format.printable("  SELECT 1\r\n\t\u001b[2J FROM t \u0007 ", 80));
        assertEquals("a \\u2028 b", Format.printable("a \u2028 b", 80));
        assertEquals("abcd…", Format.printable("abcdefgh", 5));
        assertEquals("", Format.printable(null, 5));
        assertEquals("42", Format.printable(42L, 5));
    }
}
