package dbtool.auth.vault;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;

class TokenRenewalTest {

    @Test
    void renewsARenewableTokenWithLessThanATenthOfItsTtlOrFiveMinutesLeft() {
        assertTrue(TokenRenewal.due(299, 3600, true), "under five minutes");
        assertFalse(TokenRenewal.due(361, 3600, true), "more than five minutes and more than a tenth");
        assertTrue(TokenRenewal.due(359, 3600, true), "over five minutes but under a tenth");
        assertTrue(TokenRenewal.due(8 * 3600 - 1, 768 * 3600, true), "under a tenth of a long TTL");
        assertFalse(TokenRenewal.due(77 * 3600, 768 * 3600, true));
        assertTrue(TokenRenewal.due(100, 0, true), "creation TTL unknown: five minutes still counts");
    }

    @Test
    void neverRenewsWhatCannotBeRenewedOrNeverExpires() {
        assertFalse(TokenRenewal.due(10, 3600, false));
        assertFalse(TokenRenewal.due(0, 0, true), "root tokens have no TTL");
    }

    @Test
    void readsLookupSelf() {
        assertTrue(TokenRenewal.due(JsonParser.parseString("{\"ttl\": 60, \"creation_ttl\": 120, \"renewable\": true}").getAsJsonObject()));
        assertFalse(TokenRenewal.due(JsonParser.parseString("{\"ttl\": 2764, \"renewable\": true}").getAsJsonObject()));
        assertFalse(TokenRenewal.due(JsonParser.parseString("{\"ttl\": 60, \"renewable\": false}").getAsJsonObject()));
    }
}
