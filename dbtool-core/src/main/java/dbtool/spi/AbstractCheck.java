package dbtool.spi;

import java.util.Objects;

/**
 * A convenient base for a plugin's checks: holds the id, category and description, and hands
 * {@link #check} the plugin's own session type, so a check never casts.
 *
 * <pre>{@code
 * final class BlockingCheck extends AbstractCheck<MySession> {
 *     BlockingCheck() {
 *         super(MySession.class, "blocking", Category.LOCKS, "who blocks whom");
 *     }
 *
 *     protected CheckResult check(MySession session, CheckContext context) throws Exception { ... }
 * }
 * }</pre>
 *
 * @param <S> the plugin's session type, as returned by its {@link EnginePlugin#open}
 */
public abstract class AbstractCheck<S extends EngineSession> implements Check {

    private final Class<S> sessionType;
    private final String id;
    private final String category;
    private final String description;

    /**
     * A check with its identity.
     *
     * @param sessionType the plugin's session class, which {@link #run} casts the session to
     * @param id          the check's id ({@link Check#id()})
     * @param category    its category ({@link Check#category()})
     * @param description one line for {@code dbtool checks} ({@link Check#description()})
     */
    protected AbstractCheck(Class<S> sessionType, String id, String category, String description) {
        this.sessionType = Objects.requireNonNull(sessionType, "sessionType");
        this.id = Objects.requireNonNull(id, "id");
        this.category = Objects.requireNonNull(category, "category");
        this.description = Objects.requireNonNull(description, "description");
    }

    @Override
    public final String id() {
        return id;
    }

    @Override
    public final String category() {
        return category;
    }

    @Override
    public final String description() {
        return description;
    }

    @Override
    public CheckResult run(EngineSession session, CheckContext context) throws Exception {
        return check(sessionType.cast(session), context);
    }

    /**
     * Runs the check against the plugin's own session; see {@link Check#run}.
     *
     * @param session the session {@link EnginePlugin#open} returned, as the plugin's own type
     * @param context deadline, thresholds and options
     * @return findings and metrics; never null
     * @throws Exception when the check cannot tell (becomes UNKNOWN with the message as reason)
     */
    protected abstract CheckResult check(S session, CheckContext context) throws Exception;
}
