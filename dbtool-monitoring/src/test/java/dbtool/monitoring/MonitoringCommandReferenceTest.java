package dbtool.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dbtool.core.cli.CommandReference;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The site's page for 'dbtool monitoring' (docs/commands/monitoring.md) matches the command's own options and its
 * --help text. Stale page: scripts/docs --regenerate.
 */
class MonitoringCommandReferenceTest {

    @Test
    void theMonitoringPageIsCurrent() {
        List<String> problems = CommandReference.sync(MonitoringRun.repository().resolve("docs/commands"), new MonitoringCommand());
        assertEquals(List.of(), problems, String.join("\n", problems));
    }
}
