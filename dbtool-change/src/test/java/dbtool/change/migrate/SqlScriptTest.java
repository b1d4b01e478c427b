package dbtool.change.migrate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dbtool.core.DbtoolException;
import java.util.List;
import org.junit.jupiter.api.Test;

class SqlScriptTest {

    @Test
    void splitsOnSemicolonsOutsideQuotesCommentsAndDollarBodies() {
        List<SqlScript.Statement> s = SqlScript.split("""
                -- a comment; not a statement
                CREATE FUNCTION f() RETURNS int AS $body$ SELECT 1; $body$ LANGUAGE sql;
                INSERT INTO t VALUES ('a;b', E'it\\'s;', "odd;name");
                /* block; /* nested; */ still comment */ CREATE INDEX CONCURRENTLY i ON t (a);
                """, "V1__x.sql");
        assertEquals(3, s.size(), s.toString());
        assertEquals(2, s.get(0).line());
        assertTrue(s.get(0).sql().contains("$body$ SELECT 1; $body$"));
        assertEquals(3, s.get(1).line());
        assertTrue(s.get(1).transactional());
        assertEquals(4, s.get(2).line());
        assertFalse(s.get(2).transactional(), "CONCURRENTLY runs outside a transaction");
    }

    @Test
    void unterminatedPartsNameFileAndLine() {
        DbtoolException e = assertThrows(DbtoolException.class, () -> SqlScript.split("SELECT 1;\nSELECT $$ never;\n", "V2__y.sql"));
        assertEquals("V2__y.sql:2: malformed migration: a dollar-quoted body ($$) that is never closed", e.getMessage());
        assertThrows(DbtoolException.class, () -> SqlScript.split("/* open", "f"));
        assertThrows(DbtoolException.class, () -> SqlScript.split("SELECT \"x", "f"));
    }
}
