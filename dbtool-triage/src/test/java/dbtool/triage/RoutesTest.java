package dbtool.triage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dbtool.core.DbtoolException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The routing tree walked as Alertmanager walks its own. */
class RoutesTest {

    static final String RECEIVERS = """
            "receivers": {
              "team-slack": {"type": "slack", "url": {"env": "SLACK_URL"}},
              "pager": {"type": "pagerduty", "routingKey": {"env": "PD_KEY"}},
              "dba-mail": {"type": "email", "host": "smtp.example.com", "from": "dbtool@example.com", "to": "dba@example.com"},
              "payments-mail": {"type": "email", "host": "smtp.example.com", "from": "dbtool@example.com", "to": ["pay@example.com"]},
              "hook": {"type": "webhook", "url": "https://hooks.example.com/dbtool", "hmacKey": {"vault": "secret/dbtool/hook#key"}}}""";

    static Routes routes(String routes) {
        return TriageConfig.of(Fixtures.config("{\"triage\": {" + RECEIVERS + ", \"routes\": " + routes + "}}")).orElseThrow().routes();
    }

    static final String TREE = """
            {"receiver": "team-slack", "routes": [
              {"match": {"priority": ["P1", "P2"]}, "receiver": "pager", "continue": true},
              {"match": {"engine": "postgresql", "tag": "payments"}, "receiver": "payments-mail", "routes": [
                 {"match": {"code": "~PG_.*WRAPAROUND"}, "receiver": "dba-mail"}]},
              {"match": {"labels": {"team": "dba"}}, "receiver": "dba-mail"},
              {"match": {"target": "orders"}}]}""";

    static List<String> hits(Priority priority, String engine, String target, List<String> tags, List<String> codes, Map<String, String> labels) {
        return routes(TREE).receivers(new Routes.Subject(engine, target, tags, priority, codes, labels)).stream().map(Routes.Hit::receiver).toList();
    }

    @Test
    void continueLetsAPageAndTheTeamsRouteBothMatch() {
        assertEquals(List.of("pager", "payments-mail"), hits(Priority.P1, "postgresql", "pay-db", List.of("payments"), List.of("PG_BLOCKING_CHAIN"), Map.of()));
    }

    @Test
    void theFirstMatchingRouteWithoutContinueEndsTheWalk() {
        // labels team=dba and target orders would match too, but payments-mail came first
        assertEquals(List.of("payments-mail"), hits(Priority.P3, "postgresql", "orders", List.of("payments"), List.of(), Map.of("team", "dba")));
        assertEquals(List.of("dba-mail"), hits(Priority.P3, "postgresql", "orders", List.of(), List.of(), Map.of("team", "dba")));
    }

    @Test
    void aNestedRouteWinsOverItsParentAndARouteWithoutReceiverInheritsIt() {
        assertEquals(List.of("dba-mail"), hits(Priority.P4, "postgresql", "pay-db", List.of("payments"), List.of("PG_XID_WRAPAROUND"), Map.of()));
        assertEquals(List.of("team-slack"), hits(Priority.P4, "postgresql", "orders", List.of(), List.of(), Map.of()), "inherits the root's");
    }

    @Test
    void whatNoRouteMatchesGoesToTheRootsReceiver() {
        assertEquals(List.of("team-slack"), hits(Priority.P5, "mongodb", "events", List.of(), List.of(), Map.of()));
        assertEquals(List.of("pager"), hits(Priority.P2, "mongodb", "events", List.of(), List.of(), Map.of()), "a child matched: not the root");
    }

    @Test
    void anUnknownReceiverOrMatcherIsAConfigurationError() {
        DbtoolException unknown = assertThrows(DbtoolException.class, () -> routes("{\"receiver\": \"nobody\"}"));
        assertEquals(78, unknown.exitCode());
        assertTrue(unknown.getMessage().contains("triage.routes.receiver: no receiver \"nobody\""), unknown.getMessage());
        DbtoolException matcher = assertThrows(DbtoolException.class,
                () -> routes("{\"receiver\": \"pager\", \"routes\": [{\"match\": {\"severity\": \"x\"}, \"receiver\": \"pager\"}]}"));
        assertTrue(matcher.getMessage().contains("triage.routes.routes[0].match.severity: unknown field"), matcher.getMessage());
        DbtoolException priority = assertThrows(DbtoolException.class,
                () -> routes("{\"receiver\": \"pager\", \"routes\": [{\"match\": {\"priority\": \"high\"}}]}"));
        assertTrue(priority.getMessage().contains("expected P1 to P5"), priority.getMessage());
    }
}
