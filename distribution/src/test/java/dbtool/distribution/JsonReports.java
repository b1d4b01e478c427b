package dbtool.distribution;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

/** Reading a `--format json` report in the bundle's end-to-end tests. */
final class JsonReports {

    private JsonReports() {
    }

    /** The first finding with this code, or an assertion failure showing the report. */
    static JsonObject finding(JsonObject report, String code) {
        for (JsonElement check : report.getAsJsonArray("checks")) {
            JsonArray findings = check.getAsJsonObject().getAsJsonArray("findings");
            for (JsonElement finding : findings) {
                if (finding.getAsJsonObject().get("code").getAsString().equals(code)) {
                    return finding.getAsJsonObject();
                }
            }
        }
        throw new AssertionError("no " + code + " in " + report);
    }
}
