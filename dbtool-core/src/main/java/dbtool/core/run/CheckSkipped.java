package dbtool.core.run;

/**
 * Thrown by a contributed check ({@link CheckContributor}) that has nothing to read on this target, such as
 * a server log this role may not read: the check is left out of the report (it is not the target's
 * fault, so not UNKNOWN) and the reason goes to the log as one INFO line.
 */
public final class CheckSkipped extends RuntimeException {
    public CheckSkipped(String reason) {
        super(reason, null, false, false);
    }
}
