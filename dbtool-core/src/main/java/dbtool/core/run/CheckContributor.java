package dbtool.core.run;

import dbtool.spi.Check;
import dbtool.spi.EnginePlugin;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/**
 * Checks that a first-party feature module adds to every troubleshoot, beside the engine's own (e.g.
 * dbtool.logs adds the recent server log findings). Core imports no feature module: they provide this
 * service on the boot layer. A contributed check that has nothing to read for a session throws
 * {@link CheckSkipped} and is left out of the report.
 */
public interface CheckContributor {

    /** The checks to add for targets of this engine; empty when none apply. */
    List<Check> checks(EnginePlugin plugin);

    /** The engine's checks followed by every contributor's. */
    static List<Check> withContributed(EnginePlugin plugin) {
        List<Check> checks = new ArrayList<>(plugin.checks());
        for (CheckContributor contributor : ServiceLoader.load(CheckContributor.class)) {
            checks.addAll(contributor.checks(plugin));
        }
        return checks;
    }
}
