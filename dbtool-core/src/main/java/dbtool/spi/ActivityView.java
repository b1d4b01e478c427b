package dbtool.spi;

/**
 * An optional capability of an {@link EngineSession}: what {@code dbtool top} shows. A session
 * that implements it can be watched live; one that does not (every SPI 1.0 plugin) keeps working
 * for everything else, and {@code top} says the engine offers no live view.
 *
 * <p>Both calls run on the one session, with its safety settings (read-only, statement and lock
 * timeouts), under the refresh's deadline ({@link CheckContext#deadline()}). They only read.
 */
public interface ActivityView {

    /**
     * One look at the server: its load and the sessions doing something now.
     *
     * @param context the refresh's deadline
     * @return the snapshot, its sessions in the order of their blocking trees
     * @throws Exception with a one-line message (no secret) when the server cannot be read; the view
     *                   shows it and opens a new session after a backoff
     */
    Activity activity(CheckContext context) throws Exception;

    /**
     * The plan of the statement this session runs, without running it (never EXPLAIN ANALYZE or
     * its equivalents), or why no plan can be had. A plan that would wait for a lock is given up
     * after the lock timeout and reported unavailable, so the view never queues behind the locks it shows.
     *
     * @param session a session of the latest snapshot, whose statement text is planned
     * @param context the request's deadline
     * @return the plan, or why there is none
     * @throws Exception with a one-line message when the server cannot be asked at all
     */
    QueryPlan plan(ActiveSession session, CheckContext context) throws Exception;
}
