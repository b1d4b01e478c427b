package dbtool.plugin.mongo.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dbtool.spi.UsageException;
import java.util.List;
import java.util.Map;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/** Values typed by the running value's BSON type, and the messages for those that do not fit. */
class MongoValueTest {

    @Test
    void eachTypeKeepsItsBsonWidth() {
        assertEquals(Boolean.TRUE, MongoValue.parse("notablescan", false, "true"));
        assertEquals(Boolean.FALSE, MongoValue.parse("notablescan", true, "off"));
        assertEquals(3, MongoValue.parse("logLevel", 0, " 3 "));
        assertEquals(300_000L, MongoValue.parse("cursorTimeoutMillis", 600_000L, "300000"));
        assertEquals(0.5, MongoValue.parse("tcmallocReleaseRate", 1.0, "0.5"));
        assertEquals("a b", MongoValue.parse("automationServiceDescriptor", "", "a b"));
        assertTrue(MongoValue.same(5, 5L));
        assertTrue(MongoValue.same(2.0, 2));
        assertFalse(MongoValue.same(true, "true"));
    }

    @Test
    void valuesThatDoNotFitAreOneLineNamingTheParameter() {
        Map<Object[], String> cases = Map.of(
                new Object[] {"notablescan", false, "maybe"}, "notablescan: expected true or false, got 'maybe'",
                new Object[] {"logLevel", 0, "loud"}, "logLevel: expected a whole number (32-bit), got 'loud'",
                new Object[] {"logLevel", 0, "9"}, "logLevel: 9 is out of range; expected 0 to 5",
                new Object[] {"transactionLifetimeLimitSeconds", 60, "0"}, "transactionLifetimeLimitSeconds: 0 is out of range; expected 1 or more",
                new Object[] {"maxTransactionLockRequestTimeoutMillis", 5, "3000000000"},
                "maxTransactionLockRequestTimeoutMillis: expected a whole number (32-bit), got '3000000000'",
                new Object[] {"cursorTimeoutMillis", 600_000L, "1.5"}, "cursorTimeoutMillis: expected a whole number (64-bit), got '1.5'",
                new Object[] {"tcmallocReleaseRate", 1.0, "NaN"}, "tcmallocReleaseRate: expected a number such as 0.5, got 'NaN'",
                new Object[] {"logComponentVerbosity", new Document("verbosity", 0), "1"},
                "logComponentVerbosity is a document ({\"verbosity\": 0}); dbtool config sets bool, number and string parameters only",
                new Object[] {"authenticationMechanisms", List.of("SCRAM-SHA-256"), "PLAIN"}, "authenticationMechanisms is an array ([\"SCRAM-SHA-256\"])");
        cases.forEach((input, expected) -> {
            UsageException e = assertThrows(UsageException.class, () -> MongoValue.parse((String) input[0], input[1], (String) input[2]));
            assertTrue(e.getMessage().startsWith(expected), e.getMessage());
            assertEquals(1, e.getMessage().lines().count());
        });
    }
}
