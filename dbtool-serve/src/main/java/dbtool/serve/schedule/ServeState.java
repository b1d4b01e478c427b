package dbtool.serve.schedule;

import java.util.Collection;
import java.util.Optional;

/**
 * The last sample of each target: in memory ({@link MemoryServeState}), and with serve's state store
 * behind it ({@code StoredServeState}) so that a restarted or sibling replica answers /api at once.
 * Implementations are safe for concurrent use: the scheduler writes while scrapes read.
 */
public interface ServeState {

    void record(Sample sample);

    Optional<Sample> last(String target);

    /** Every target's last sample, by target name. */
    Collection<Sample> all();

    /** Forgets targets no longer served (after a reload removed them, or the shard moved them). */
    void retain(Collection<String> targets);
}
