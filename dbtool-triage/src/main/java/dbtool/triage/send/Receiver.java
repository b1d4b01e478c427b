package dbtool.triage.send;

import dbtool.core.Environment;
import dbtool.triage.IncidentBook;
import dbtool.triage.Notice;

/**
 * Somewhere a notice goes: Slack, email, PagerDuty, a webhook, a GitHub or Jira ticket. Built from its
 * entry under {@code triage.receivers}; its secrets are resolved at each delivery (from the environment or
 * Vault) and never kept in a message.
 */
public interface Receiver {

    String name();

    /** {@code slack}, {@code email}, {@code pagerduty}, {@code webhook}, {@code github}, {@code jira}. */
    String type();

    /** Whether this receiver has anything to say for this notice (a chat message is not sent for a grouped incident). */
    default boolean wants(Notice notice) {
        return notice.action() != IncidentBook.Action.GROUPED;
    }

    /**
     * Delivers the notice.
     *
     * @return what was done, one line ("message sent", "issue #12 created")
     */
    String deliver(Notice notice, Delivery delivery) throws DeliveryException;

    /** What a delivery may use: the environment (for secrets), the incident book (for tickets), the HTTP sender. */
    record Delivery(Environment environment, IncidentBook book, HttpSender http) {
    }
}
