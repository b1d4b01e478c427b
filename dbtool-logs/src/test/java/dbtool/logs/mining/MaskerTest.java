package dbtool.logs.mining;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class MaskerTest {

    private static String masked(String message) {
        return String.join(" ", Masker.tokens(message));
    }

    @Test
    void numbersHexAddressesAndIdsBecomeWildcardsWhereTheyStandAlone() {
        assertEquals("PacketResponder <*> for block blk_<*> terminating",
                masked("PacketResponder 1 for block blk_-6952295868487656571 terminating"));
        assertEquals("connection from <*>:<*> took <*> flags=<*>,", masked("connection from 10.251.73.220:50010 took 12ms flags=0x1f,"));
        assertEquals("session <*> token=Token{<*>", masked("session 550e8400-e29b-41d4-a716-446655440000 token=Token{9f4ef63"));
        assertEquals("checkpoint took <*> s", masked("checkpoint took 3.14 s"));
    }

    @Test
    void wordsWithDigitsInsideStayWords() {
        assertEquals("u0 t761 e2 add ee0 ssh2", masked("u0 t761 e2 add ee0 ssh2"));
    }

    @Test
    void pathsQuotedLiteralsAndTimestampNamesAreMasked() {
        assertEquals("could not open file /<*>/<*>: No such file", masked("could not open file /var/lib/pg/base/16384/2619: No such file"));
        assertEquals("Deleting block blk_<*> file /<*>/blk_<*>", masked("Deleting block blk_-17 file /mnt/dfs/current/subdir5/blk_-17"));
        assertEquals("workerEnv.init() ok <*>", masked("workerEnv.init() ok /etc/httpd/conf/workers2.properties"));
        assertEquals("Progress of attempt_<*> is", masked("Progress of attempt_1445144423722_0020_m_000000_0 is"));
        assertEquals("relation \"<*>\" does not exist", masked("relation \"missing_table\" does not exist"));
        assertEquals("SELECT * FROM t WHERE a = '<*>' AND b = E'<*>'", masked("SELECT * FROM t WHERE a = 'it''s' AND b = E'x\\ny'"));
        assertEquals("at <*> <*> <*> <*>:<*>:<*> <*>", masked("at Fri Jun 17 07:07:00 2005"));
    }

    @Test
    void anApostropheInProseIsNotALiteral() {
        assertEquals("can't connect to server", masked("can't connect to server"));
    }

    @Test
    void whitespaceRunsSplitTokensAndNothingIsLost() {
        assertEquals(List.of("a", "b", "c"), Masker.tokens("  a\tb   c \n"));
        assertEquals(List.of(), Masker.tokens("   "));
    }
}
