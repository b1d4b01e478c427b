package dbtool.core.run;

import dbtool.core.report.CheckReport;
import dbtool.spi.CheckContext;
import dbtool.spi.Target;
import java.util.List;

/**
 * What a contributed check ({@link CheckContributor}) may know about the troubleshoot it runs in, beyond
 * the plugin SPI's {@link CheckContext}: the target, and the reports of the checks that ran before it
 * (contributed checks run after the engine's own). dbtool.monitoring's anomaly check compares this run's
 * metrics with their history and leaves out metrics whose check is already CRITICAL. The context handed to
 * every check of a troubleshoot is one; a check casts it ({@code context instanceof RunSoFar run}).
 */
public interface RunSoFar extends CheckContext {

    /** The target being diagnosed. */
    Target target();

    /** The reports of the checks that have run so far in this troubleshoot, in the order they ran. */
    List<CheckReport> reportsSoFar();
}
