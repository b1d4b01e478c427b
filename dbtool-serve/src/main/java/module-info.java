/**
 * {@code dbtool serve} and {@code dbtool alert}: the long-running side of dbtool. A scheduler
 * checks the configured targets on an interval, an HTTP server exposes the last samples as
 * Prometheus metrics, a health API and the last reports, and alert webhooks (Alertmanager,
 * Grafana) become focused diagnoses kept in a state store. A feature module beside core on the
 * boot module path: it provides {@link dbtool.core.cli.Command}s and exports nothing.
 */
module dbtool.serve {
    requires dbtool.core;
    requires org.apache.commons.cli;
    requires com.google.gson;
    requires jdk.httpserver;
    requires jdk.unsupported;
    requires io.prometheus.metrics.model;
    requires io.prometheus.metrics.config;
    requires io.prometheus.writer.text;

    provides dbtool.core.cli.Command with dbtool.serve.ServeCommand;
}
