package dbtool.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link TraceContext}: the W3C format read strictly, and each place applications put it. */
class TraceContextTest {

    static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    static final String SPAN = "00f067aa0ba902b7";
    static final String PARENT = "00-" + TRACE + "-" + SPAN + "-01";

    @Test
    void readsAValidTraceparent() {
        assertEquals(Optional.of(new TraceContext(TRACE, SPAN, null)), TraceContext.parseTraceparent(PARENT));
        assertEquals(Optional.of(new TraceContext(TRACE, SPAN, null)), TraceContext.parseTraceparent("  " + PARENT + "\n"));
        // A later version may append fields (W3C: parse what version 00 knows).
        assertEquals(Optional.of(new TraceContext(TRACE, SPAN, null)), TraceContext.parseTraceparent("01-" + TRACE + "-" + SPAN + "-01-extra"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7",                 // no flags
            "00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01",               // trace id 31 digits
            "00-4bf92f3577b34da6a3ce929d0e0e47366-00f067aa0ba902b7-01",             // 33 digits
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b-01",               // span id 15 digits
            "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",              // upper case
            "00-00000000000000000000000000000000-00f067aa0ba902b7-01",              // all-zero trace id
            "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",              // all-zero span id
            "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",              // version ff is invalid
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra",        // version 00 has exactly four fields
            "0-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",               // version one digit
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-1",               // flags one digit
            "00_4bf92f3577b34da6a3ce929d0e0e4736_00f067aa0ba902b7_01",              // wrong separators
            "00-4bf92f3577b34da6a3ce929d0e0g4736-00f067aa0ba902b7-01"})             // not hex
    void refusesWhatTheW3cFormatDoesNotAllow(String value) {
        assertEquals(Optional.empty(), TraceContext.parseTraceparent(value));
        assertEquals(Optional.empty(), TraceContext.find("SELECT 1 /*traceparent='" + value + "'*/", "svc " + value));
    }

    @Test
    void theConstructorRefusesInvalidIds() {
        assertThrows(IllegalArgumentException.class, () -> new TraceContext("0".repeat(32), SPAN, null));
        assertThrows(IllegalArgumentException.class, () -> new TraceContext(TRACE, "abc", null));
    }

    @Test
    void readsASqlcommenterCommentWithUrlEncodedValues() {
        String query = "SELECT * FROM orders WHERE id = $1 /*application='checkout%20api',controller='pay',"
                + "route='%2Fpay%2F%7Bid%7D',traceparent='00-" + TRACE + "-" + SPAN + "-01',tracestate='congo%3Dt61rcWkgMzE'*/";
        assertEquals(Optional.of(new TraceContext(TRACE, SPAN, "checkout api")), TraceContext.fromSqlComment(query));
        assertEquals(Optional.of(new TraceContext(TRACE, SPAN, "checkout api")), TraceContext.find(query));
    }

    @Test
    void theSqlcommenterTraceparentMayBeEncodedAndTheLastCommentWins() {
        String encoded = "UPDATE t SET a = 1 /* first */ /*traceparent='00-" + TRACE + "-" + SPAN + "-01'*/ "
                + "/*traceparent='00%2D" + TRACE + "%2D" + "b7ad6b7169203331" + "%2D01',service.name='billing'*/";
        assertEquals(Optional.of(new TraceContext(TRACE, "b7ad6b7169203331", "billing")), TraceContext.fromSqlComment(encoded));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "SELECT 1 /*traceparent='00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01'",          // unclosed
            "SELECT 1 /*traceparent=00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01*/",           // unquoted
            "SELECT 1 /*route='%zz',traceparent='00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01'*/", // bad escape
            "SELECT 1 /*tracestate='00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01'*/"})         // another key
    void refusesMalformedComments(String query) {
        assertEquals(Optional.empty(), TraceContext.fromSqlComment(query));
    }

    @Test
    void readsATraceparentInAClientName() {
        assertEquals(Optional.of(new TraceContext(TRACE, SPAN, null)), TraceContext.fromName(PARENT));
        assertEquals(Optional.of(new TraceContext(TRACE, SPAN, "checkout")), TraceContext.fromName("checkout " + PARENT));
        assertEquals(Optional.of(new TraceContext(TRACE, SPAN, "checkout")), TraceContext.fromName("checkout/traceparent=" + PARENT));
        assertEquals(Optional.empty(), TraceContext.fromName("checkout x" + PARENT));
        assertEquals(Optional.empty(), TraceContext.fromName("psql"));
    }

    @Test
    void readsJsonTagsAndComments() {
        String tag = "{\"team\": \"pay\", \"traceparent\": \"" + PARENT + "\", \"service.name\": \"ledger\"}";
        assertEquals(Optional.of(new TraceContext(TRACE, SPAN, "ledger")), TraceContext.fromJson(tag));
        assertEquals(Optional.of(new TraceContext(TRACE, SPAN, "ledger")), TraceContext.find(null, "not it", tag));
        assertEquals(Optional.empty(), TraceContext.fromJson("{\"traceparent\": \"00-" + "0".repeat(32) + "-" + SPAN + "-01\"}"));
    }

    @Test
    void addsTheEvidenceFieldsEveryEngineUses() {
        Map<String, Object> node = new LinkedHashMap<>();
        TraceContext.addFound(node, "SELECT 1", "checkout " + PARENT);
        assertEquals(Map.of("traceId", TRACE, "spanId", SPAN, "service", "checkout"), node);
        Map<String, Object> none = new LinkedHashMap<>();
        TraceContext.addFound(none, "SELECT 1", "psql");
        assertTrue(none.isEmpty());
    }
}
