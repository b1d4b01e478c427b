package dbtool.serve.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dbtool.core.config.Config;
import dbtool.core.config.ConfigLoader;
import java.io.StringReader;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AlertRouterTest {

    static final Config CONFIG = ConfigLoader.parse(Path.of("config.json"), new StringReader("""
            {
              "targets": {
                "orders": {"url": "postgresql://db1.example:5432/orders"},
                "orders-reporting": {"url": "postgresql://db1.example:5432/reporting"},
                "billing": {"url": "postgresql://db2.example/billing"},
                "crm": {"url": "sqlserver://mssql1.example:1433/crm"}
              },
              "alerts": {
                "rules": [
                  {"match": {"team": "payments"}, "matchRegex": {"instance": "pay-.*"}, "target": "billing"},
                  {"match": {"alertname": "OrdersQueueStuck"}, "checks": ["locks", "long-queries"]}
                ]
              }
            }"""));

    static AlertRouter.Route route(boolean allowUrls, Map<String, String> labels) {
        Alert alert = new Alert("firing", labels, Map.of(), Instant.now(), null, "f", null, Map.of());
        return new AlertRouter(CONFIG, AlertsConfig.of(CONFIG), allowUrls).route(alert);
    }

    @Test
    void theDbtoolTargetLabelWins() {
        AlertRouter.Route route = route(false, Map.of("alertname", "PostgresqlDeadLocks", "dbtool_target", "billing", "server", "db1.example:5432"));
        assertEquals("billing", route.target());
        assertEquals("label dbtool_target", route.reason());
        assertEquals(List.of("locks", "long-queries"), route.checks(), "the built-in row for PostgresqlDeadLocks");
        assertTrue(route.builtIn());
    }

    @Test
    void aRuleMatchesOnEqualAndRegexLabels() {
        assertEquals("billing", route(false, Map.of("alertname", "X", "team", "payments", "instance", "pay-7:9187")).target());
        assertNull(route(false, Map.of("alertname", "X", "team", "payments", "instance", "web-7:9187")).target(),
                "the regex must match the whole value");
    }

    @Test
    void serverLabelMatchesHostAndPortAndDatnamePicksTheDatabase() {
        assertEquals("orders", route(false, Map.of("alertname", "X", "server", "db1.example:5432", "datname", "orders")).target());
        assertEquals("orders-reporting", route(false, Map.of("alertname", "X", "server", "db1.example:5432", "datname", "reporting")).target());
        assertNull(route(false, Map.of("alertname", "X", "server", "db1.example:5432")).target(),
                "two databases on db1: without datname dbtool does not guess");
    }

    @Test
    void instanceOfAnExporterMatchesTheOnlyTargetOnThatHost() {
        // postgres_exporter's instance is the exporter's port (9187), not the database's
        AlertRouter.Route route = route(false, Map.of("alertname", "PostgresqlDown", "instance", "DB2.example:9187"));
        assertEquals("billing", route.target());
        assertEquals("label instance", route.reason());
        assertEquals(List.of("connectivity"), route.checks());
    }

    @Test
    void jobNamingATargetIsTheLastResort() {
        assertEquals("crm", route(false, Map.of("alertname", "SqlserverDeadlock", "job", "crm")).target());
    }

    @Test
    void ruleChecksOverrideTheTableAndUnknownAlertsRunEveryCheck() {
        AlertRouter.Route custom = route(false, Map.of("alertname", "OrdersQueueStuck", "dbtool_target", "orders"));
        assertEquals(List.of("locks", "long-queries"), custom.checks());
        assertEquals(false, custom.builtIn());
        assertEquals(List.of(), route(false, Map.of("alertname", "SomethingElse", "dbtool_target", "orders")).checks());
        assertEquals(List.of("connectivity"), route(false, Map.of("alertname", "POSTGRESQLDOWN", "job", "orders")).checks(),
                "alert names are matched without regard to case");
    }

    @Test
    void aWebhookCannotSendDbtoolToAHostOfItsChoosing() {
        AlertRouter.Route route = route(false, Map.of("alertname", "X", "dbtool_target", "postgresql://evil.example/db"));
        assertNull(route.target());
        assertTrue(route.reason().contains("URLs from a webhook are not followed"), route.reason());
        assertEquals("postgresql://evil.example/db", route(true, Map.of("alertname", "X", "dbtool_target", "postgresql://evil.example/db")).target(),
                "dbtool alert, whose user chose the payload, follows it");
    }

    @Test
    void noTargetSaysWhy() {
        AlertRouter.Route route = route(false, Map.of("alertname", "X", "instance", "unknown:9187"));
        assertNull(route.target());
        assertEquals("no rule matched and no label (dbtool_target, server, instance, job) names a configured target", route.reason());
    }
}
