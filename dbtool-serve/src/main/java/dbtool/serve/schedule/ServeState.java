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

    /** The target's last sample: this process's own, or one kept in the state store (marked restored). */
    Optional<Sample> last(String target);

    /** Whether this process has run the target since it started (what /ready waits for). */
    default boolean sampledHere(String target) {
        return last(target).filter(sample -> !sample.restored()).isPresent();
    }

    /** Every target's last sample as this process has it (what /metrics exports), by target name. */
    Collection<Sample> all();

    /** Forgets targets no longer served (after a reload removed them, or the shard moved them). */
    void retain(Collection<String> targets);
}
