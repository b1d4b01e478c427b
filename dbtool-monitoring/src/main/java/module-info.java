/**
 * {@code dbtool monitoring}: Grafana dashboards and Prometheus alerting rules generated from what
 * {@code dbtool serve} exports, and anomaly detection over the metrics' history (category
 * {@code anomalies}), which {@code troubleshoot} includes through core's check contributor. A feature
 * module beside core on the boot module path: it provides a {@link dbtool.core.cli.Command} and a
 * {@link dbtool.core.run.CheckContributor}, and exports nothing.
 */
module dbtool.monitoring {
    requires dbtool.core;
    requires dbtool.serve;
    requires org.apache.commons.cli;
    requires com.google.gson;
    requires java.net.http;

    provides dbtool.core.cli.Command with dbtool.monitoring.MonitoringCommand;
    provides dbtool.core.run.CheckContributor with dbtool.monitoring.anomaly.AnomalyCheck.Contributor;
}
