package dbtool.auth.vault;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonParser;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class JsonSecretTest {

    @Test
    void quotesBackslashesControlCharactersAndNonAsciiSurviveTheRoundTrip() {
        String password = "p\"w\\d\n\tÄ€😀 end";
        String json = new String(JsonSecret.object("password", password.toCharArray()), StandardCharsets.UTF_8);
        assertEquals(password, JsonParser.parseString(json).getAsJsonObject().get("password").getAsString());
    }
}
