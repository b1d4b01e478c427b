package dbtool.plugin.mongo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Map;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/** An operation's trace context, from its comment (a document or a string) or its appName, as currentOp shows them. */
class CurrentOpTraceTest {

    static final String PARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    static Document op(Object comment, String appName) {
        Document command = new Document("update", "orders");
        if (comment != null) {
            command.append("comment", comment);
        }
        return new Document("opid", 4711).append("op", "update").append("ns", "shop.orders").append("appName", appName)
                .append("command", command);
    }

    @Test
    void aCommentDocumentCarriesTheTraceparentAndTheService() {
        Map<String, Object> row = CurrentOp.row(op(new Document("traceparent", PARENT).append("service.name", "checkout"), "app"));
        assertEquals("4bf92f3577b34da6a3ce929d0e0e4736", row.get("traceId"));
        assertEquals("00f067aa0ba902b7", row.get("spanId"));
        assertEquals("checkout", row.get("service"));
    }

    @Test
    void aSqlcommenterStyleCommentStringOrTheAppNameCarryItToo() {
        Map<String, Object> commented = CurrentOp.row(op("/*application='billing',traceparent='" + PARENT + "'*/", "app"));
        assertEquals("billing", commented.get("service"));
        Map<String, Object> named = CurrentOp.row(op(null, "ledger " + PARENT));
        assertEquals("ledger", named.get("service"));
        assertFalse(CurrentOp.row(op("nightly report", "app")).containsKey("traceId"));
    }
}
