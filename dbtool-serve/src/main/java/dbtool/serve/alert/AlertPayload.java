package dbtool.serve.alert;

import java.util.List;
import java.util.Map;

/**
 * A webhook payload: Alertmanager's (version "4") or Grafana's (version "1", which adds
 * {@code orgId} and each alert's {@code values}).
 *
 * @param truncatedAlerts how many alerts Alertmanager left out ({@code max_alerts}); 0 when none
 * @param orgId           Grafana's organisation; null from Alertmanager
 */
public record AlertPayload(Sender sender, String version, String status, String receiver, Map<String, String> groupLabels,
                           Map<String, String> commonLabels, Map<String, String> commonAnnotations, String externalUrl,
                           long truncatedAlerts, Long orgId, List<Alert> alerts) {

    public AlertPayload {
        groupLabels = Map.copyOf(groupLabels);
        commonLabels = Map.copyOf(commonLabels);
        commonAnnotations = Map.copyOf(commonAnnotations);
        alerts = List.copyOf(alerts);
    }

    /** Who sent it, from its {@code version}. */
    public enum Sender {
        ALERTMANAGER("4"), GRAFANA("1");

        private final String version;

        Sender(String version) {
            this.version = version;
        }

        public String version() {
            return version;
        }
    }
}
