package dbtool.serve;

import com.google.gson.JsonObject;
import dbtool.core.DbtoolException;
import dbtool.core.cli.CommandContext;
import dbtool.core.config.Config;
import dbtool.core.config.ConfigLoader;
import dbtool.serve.http.HttpFailure;
import java.util.function.Consumer;

/**
 * SIGHUP and {@code POST /-/reload}: rereads the configuration file and serves its targets from the
 * next run on. A file that does not load (a typo mid-edit) changes nothing: the old configuration
 * stays in force and the reason is logged and answered, as Prometheus does with its own reload.
 * Scrapes go on throughout: the last samples stay where they are.
 */
final class Reload {

    private final CommandContext context;
    private final Serving.Targets targets;
    private final Consumer<Config> apply;
    private final Consumer<String> log;

    Reload(CommandContext context, Serving.Targets targets, Consumer<Config> apply, Consumer<String> log) {
        this.context = context;
        this.targets = targets;
        this.apply = apply;
        this.log = log;
    }

    synchronized JsonObject run() {
        Config loaded;
        try {
            loaded = ConfigLoader.load(context.environment().configFile());
            targets.select(loaded); // a --tag no target has any more fails here, before anything changes
        } catch (DbtoolException e) {
            log.accept("reload failed, the previous configuration stays: " + e.getMessage());
            throw new HttpFailure(500, "reload failed, the previous configuration stays: " + e.getMessage());
        }
        apply.accept(loaded);
        int count = targets.select(loaded).size();
        log.accept("configuration reloaded from " + context.environment().configFile() + ": " + count + (count == 1 ? " target" : " targets"));
        JsonObject body = new JsonObject();
        body.addProperty("reloaded", true);
        body.addProperty("targets", count);
        return body;
    }
}
