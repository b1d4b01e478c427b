/**
 * Triage: from reports (troubleshoot --notify) and alert incidents (dbtool serve) to an impact-based
 * priority with its reasons, one incident per target and root cause kept in the state store, routes
 * like Alertmanager's, and receivers: Slack, email (SMTP with STARTTLS, Jakarta Mail / Eclipse Angus),
 * PagerDuty Events v2, a signed webhook, GitHub and Jira tickets. A feature module beside core on the
 * boot module path: it provides core's {@link dbtool.core.cli.Command} ({@code dbtool route}) and
 * {@link dbtool.core.cli.ReportNotifier}, and serve's {@link dbtool.serve.alert.IncidentListener}; it exports nothing.
 */
module dbtool.triage {
    requires dbtool.core;
    requires dbtool.serve;
    requires org.apache.commons.cli;
    requires com.google.gson;
    requires java.net.http;
    requires java.sql;
    requires jakarta.mail;

    provides dbtool.core.cli.Command with dbtool.triage.RouteCommand;
    provides dbtool.core.cli.ReportNotifier with dbtool.triage.TriageNotifier;
    provides dbtool.serve.alert.IncidentListener with dbtool.triage.ServeTriage;
}
