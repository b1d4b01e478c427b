/**
 * {@code dbtool serve} and {@code dbtool alert}: the long-running side of dbtool. A scheduler
 * checks the configured targets on an interval, an HTTP server exposes the last samples as
 * Prometheus metrics, a health API and the last reports, and alert webhooks (Alertmanager,
 * Grafana) become focused diagnoses kept in a state store. A feature module beside core on the
 * boot module path: it provides {@link dbtool.core.cli.Command}s and exports nothing.
 *
 * <p>The state store's JDBC drivers are not in the runtime image: H2 (an automatic module, which
 * jlink cannot link) is resolved from the bundle's {@code store/} folder into a layer of its own,
 * pgjdbc is taken from the PostgreSQL plugin's layer; both are found as {@code java.sql.Driver} services.
 *
 * <p>Triage (dbtool.triage) hears of each stored incident through {@link dbtool.serve.alert.IncidentListener}
 * and keeps its own tables in the same store: the two packages it builds on are exported to it only.
 * ("module": dbtool.triage is built after serve, so javac cannot see it here.)
 */
@SuppressWarnings("module")
module dbtool.serve {
    requires dbtool.core;
    requires org.apache.commons.cli;
    requires com.google.gson;
    requires java.sql;
    requires jdk.httpserver;
    requires jdk.unsupported;
    requires io.prometheus.metrics.model;
    requires io.prometheus.metrics.config;
    requires io.prometheus.writer.text;

    exports dbtool.serve.alert to dbtool.triage;
    exports dbtool.serve.store to dbtool.triage;

    uses java.sql.Driver;
    uses dbtool.serve.alert.IncidentListener;

    provides dbtool.core.cli.Command with dbtool.serve.ServeCommand, dbtool.serve.AlertCommand;
}
