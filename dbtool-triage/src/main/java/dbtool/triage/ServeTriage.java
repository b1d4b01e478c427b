package dbtool.triage;

import dbtool.core.DbtoolException;
import dbtool.core.cli.CommandContext;
import dbtool.core.config.Config;
import dbtool.serve.alert.Incident;
import dbtool.serve.alert.IncidentListener;
import dbtool.serve.store.StateStore;
import dbtool.triage.send.HttpSender;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * {@code dbtool serve}'s incidents to triage: each stored incident (a diagnosed, failed or unrouted firing
 * alert, or a resolved one) is triaged on one thread of its own, in arrival order, so that the webhook
 * and the diagnosis workers never wait on Slack or SMTP, and a resolve never overtakes its trigger.
 */
public final class ServeTriage implements IncidentListener {

    @Override
    public Sink open(CommandContext context, Supplier<Config> config, StateStore store, Consumer<String> log) {
        TriageConfig.of(config.get()); // a mistake in the block stops the server before it listens (78)
        IncidentBook book = new IncidentBook(store);
        ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
            Thread thread = new Thread(r, "dbtool-triage");
            thread.setDaemon(true);
            return thread;
        });
        return new Sink() {
            @Override
            public void accept(Incident incident) {
                worker.execute(() -> handle(incident));
            }

            private void handle(Incident incident) {
                try {
                    Config current = config.get();
                    Optional<TriageConfig> settings = TriageConfig.of(current);
                    if (settings.isEmpty()) {
                        return;
                    }
                    Triage triage = new Triage(settings.get(), current, book, context.environment(), HttpSender.standard(), Clock.systemUTC());
                    Iterable<String> lines = incident.state() == Incident.State.RESOLVED
                            ? triage.alertResolved(incident.fingerprint())
                            : triage.observe(incident.target(), incident.report(), new Triage.AlertInfo(incident.alertName(), incident.fingerprint(),
                                    incident.labels(), incident.annotations(), incident.startsAt()));
                    lines.forEach(line -> log.accept("triage: " + line));
                } catch (DbtoolException e) {
                    log.accept("triage: " + e.getMessage());
                } catch (RuntimeException e) {
                    log.accept("triage: failed on incident " + incident.id() + ": " + e.getClass().getSimpleName());
                }
            }

            @Override
            public void close() {
                worker.shutdown();
                try {
                    if (!worker.awaitTermination(30, TimeUnit.SECONDS)) {
                        log.accept("triage: notifications still running after 30 s were abandoned");
                        worker.shutdownNow();
                    }
                } catch (InterruptedException e) {
                    worker.shutdownNow();
                    Thread.currentThread().interrupt();
                }
            }
        };
    }
}
