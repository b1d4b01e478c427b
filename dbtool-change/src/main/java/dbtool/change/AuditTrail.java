package dbtool.change;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dbtool.core.cli.CommandContext;
import dbtool.serve.store.StateStore;
import dbtool.serve.store.StoreConfig;
import java.time.Clock;

/**
 * Where the writes of {@code dbtool change} and {@code dbtool config} are audited: one row per write in
 * the state store (who, what, when, result, and its details as JSON; saved when it starts and again when
 * it ends), and the same as a line in the run log. No secret goes into either.
 */
final class AuditTrail {

    private AuditTrail() {
    }

    /** The state store of the configuration ({@code state} block), the one {@code dbtool serve} keeps. */
    static StateStore open(CommandContext context) {
        return StoreConfig.of(context.config(), context.environment()).open(context.environment(), context.plugins(), Clock.systemUTC());
    }

    /** Saves the row and writes its run-log line (an error line when it failed). */
    static void save(CommandContext context, StateStore store, StateStore.ChangeRow row) {
        store.saveChange(row);
        String command = row.action().startsWith("config ") ? "" : "change ";
        String line = command + row.action() + " " + row.target() + " by " + row.actor() + " " + row.result() + " " + row.body();
        if (row.result().equals("failed")) {
            context.log().error(line);
        } else {
            context.log().info(line);
        }
    }

    /** One audited write for {@code --format json}: its details ({@code body}) as JSON, not as a string. */
    static JsonObject json(StateStore.ChangeRow r) {
        JsonObject o = new JsonObject();
        o.addProperty("id", r.id());
        o.addProperty("action", r.action());
        o.addProperty("actor", r.actor());
        o.addProperty("startedAt", r.startedAt().toString());
        o.addProperty("finishedAt", r.finishedAt() == null ? null : r.finishedAt().toString());
        o.addProperty("result", r.result());
        o.add("detail", JsonParser.parseString(r.body()));
        return o;
    }

    /** Who writes: the operating-system user, and the database user and server it connects as (no password). */
    static String actor(String connectedAs) {
        return System.getProperty("user.name", "?") + " (as " + connectedAs + ")";
    }
}
