package dbtool.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SafeTextTest {

    @Test
    void controlCharactersAreShownNotObeyed() {
        assertEquals("\\e[2J all OK", SafeText.escape("\u001b[2J all OK"));
        assertEquals("50%\\rall OK", SafeText.escape("50%\rall OK"));
        assertEquals("bell\\u0007 nul\\u0000 del\\u007f", SafeText.escape("bell\u0007 nul\u0000 del\u007f"));
        assertEquals("csi\\u009b2J", SafeText.escape("csi\u009b2J"), "C1 CSI, which some terminals obey");
        assertEquals("evil\\u202eKO", SafeText.escape("evil\u202eKO"), "a bidi override reorders what is shown");
    }

    @Test
    void lineBreaksAndTabsStayUnlessTheTextMustStayOnOneLine() {
        assertEquals("a\n\tb\r\nc", SafeText.escape("a\n\tb\r\nc"));
        assertEquals("a\\n\\tb\\r\\nc", SafeText.oneLine("a\n\tb\r\nc"));
    }

    @Test
    void plainTextIsReturnedAsItIs() {
        String text = "SELECT 'x' FROM t -- ünïcode, \\ backslash, └─ tree";
        assertSame(text, SafeText.escape(text));
    }

    @Test
    void valuesAreEscapedDeeplyKeysIncluded() {
        Object escaped = SafeText.escapeValue(Map.of("k\u001b", List.of("v\u001b", 1, Map.of("x", "\u0007"))));
        assertEquals(Map.of("k\\e", List.of("v\\e", 1, Map.of("x", "\\u0007"))), escaped);
    }

    @Test
    void aPrintStreamEscapesEverythingPrintedAsText() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = SafeText.printStream(new PrintStream(bytes, true, StandardCharsets.UTF_8), StandardCharsets.UTF_8);
        out.println("dbtool: server said \u001b]0;pwned\u0007");
        out.printf("%s%n", "\u001b[2J");
        out.print((Object) "\r");
        out.flush();
        assertEquals("dbtool: server said \\e]0;pwned\\u0007" + System.lineSeparator() + "\\e[2J" + System.lineSeparator() + "\\r",
                bytes.toString(StandardCharsets.UTF_8));
    }
}
