package dbtool.serve.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Check metrics get names promtool accepts and a reader understands without the labels. */
class MetricNameTest {

    @ParameterizedTest
    @CsvSource({
            "blocking, blocked_sessions, false, dbtool_blocked_sessions, 1",
            "connections, active, false, dbtool_connections_active, 1",
            "connections, total, false, dbtool_connections, 1",
            "connections, connections, false, dbtool_connections, 1",
            "connection-headroom, connections, false, dbtool_connection_headroom_connections, 1",
            "connectivity, login_ms, false, dbtool_login_seconds, 0.001",
            "checkpoints, checkpoints_timed, true, dbtool_checkpoints_timed, 1",
            "sizes, total_database_bytes, false, dbtool_total_database_bytes, 1"})
    void namesFollowPrometheusConventions(String check, String metric, boolean counter, String family, double scale) {
        assertEquals(new MetricName(family, scale), MetricName.of(check, metric, counter));
    }
}
