package dbtool.serve.alert;

import dbtool.core.cli.CommandContext;
import dbtool.core.config.Config;
import dbtool.serve.store.StateStore;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Who else hears of the incidents {@code dbtool serve} stores: triage (dbtool.triage provides this
 * service on the boot layer), which turns them into notifications and tickets. Serve imports no
 * listener; without one, incidents are only stored.
 */
public interface IncidentListener {

    /**
     * Starts listening for one server.
     *
     * @param config the configuration in force, as last (re)loaded
     * @param store  the state store the incidents are kept in
     * @param log    serve's log
     */
    Sink open(CommandContext context, Supplier<Config> config, StateStore store, Consumer<String> log);

    /** One server's listener: told of each incident once it is stored; closed before the store is. */
    interface Sink extends AutoCloseable {

        /** Must not block the caller for long (it may be the webhook's request thread). */
        void accept(Incident incident);

        @Override
        void close();
    }
}
