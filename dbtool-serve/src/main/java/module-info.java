/**
 * {@code dbtool serve} and {@code dbtool alert}: the long-running side of dbtool. A scheduler
 * checks the configured targets on an interval, an HTTP server exposes the last samples as
 * Prometheus metrics, a health API and the last reports, and alert webhooks (Alertmanager,
 * Grafana) become focused diagnoses kept in a state store. A feature module beside core on the
 * boot module path: it provides {@link dbtool.core.cli.Command}s and exports only to dbtool.triage, dbtool.change and dbtool.monitoring.
 *
 * <p>The state store's JDBC drivers are not in the runtime image: H2 (an automatic module, which
 * jlink cannot link) is resolved from the bundle's {@code store/} folder into a layer of its own,
 * pgjdbc is taken from the PostgreSQL plugin's layer; both are found as {@code java.sql.Driver} services.
 *
 * <p>Triage (dbtool.triage) hears of each stored incident through {@link dbtool.serve.alert.IncidentListener}
 * and keeps its own tables in the same store: the two packages it builds on are exported to it only.
 * dbtool.change keeps its audit trail of migrations in the same store, through the store package.
 * ("module": dbtool.triage and dbtool.change are built after serve, so javac cannot see them here.)
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

    // dbtool.monitoring builds on serve: metric names for its rules and dashboards, the alert table its rules'
    // names must be in, the state store's metric history for anomaly detection. Nobody else sees them.
    exports dbtool.serve.metrics to dbtool.monitoring;
    exports dbtool.serve.alert to dbtool.triage, dbtool.monitoring;
    exports dbtool.serve.store to dbtool.triage, dbtool.change, dbtool.monitoring, dbtool.logs;

    uses java.sql.Driver;
    uses dbtool.serve.alert.IncidentListener;

    provides dbtool.core.cli.Command with dbtool.serve.ServeCommand, dbtool.serve.AlertCommand;
}
