package dbtool.change.diff;

import dbtool.spi.CatalogSource;
import dbtool.spi.CatalogSource.Catalog;
import dbtool.spi.Check;
import dbtool.spi.CheckContext;
import dbtool.spi.CheckResult;
import dbtool.spi.EngineSession;
import dbtool.spi.Finding;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code dbtool diff}'s one check, run on target B's session: reads B's catalog, waits for the reference A's
 * (read in parallel on its own session), and reports each difference ({@link Parity}). A failure to read
 * either makes the check UNKNOWN with the reason, as any check that cannot tell.
 */
public final class ParityCheck implements Check {

    private final Future<Catalog> reference;
    private final Parity.Sides sides;
    private final Parity.Scope scope;

    ParityCheck(Future<Catalog> reference, Parity.Sides sides, Parity.Scope scope) {
        this.reference = reference;
        this.sides = sides;
        this.scope = scope;
    }

    /** For the playbook coverage: the check's codes without a comparison to make. */
    static ParityCheck declaration() {
        return new ParityCheck(null, null, null);
    }

    @Override
    public String id() {
        return "parity";
    }

    @Override
    public String category() {
        return "parity";
    }

    @Override
    public String description() {
        return "differences in version, settings, extensions, schema objects and roles from a reference target, with the statements that align them";
    }

    @Override
    public Set<String> findingCodes() {
        return Parity.allCodes();
    }

    @Override
    public CheckResult run(EngineSession session, CheckContext context) throws Exception {
        if (!(session instanceof CatalogSource source)) {
            throw new IllegalStateException("this engine's plugin offers no catalog (its sessions do not implement dbtool.spi.CatalogSource)");
        }
        Catalog target = source.catalog(context);
        Catalog wanted = reference(context);
        List<Finding> findings = Parity.compare(wanted, target, sides, scope);
        return new CheckResult(findings, Map.of("objects_reference", (long) wanted.objects().size(),
                "objects_target", (long) target.objects().size(), "differences", (long) findings.size()));
    }

    private Catalog reference(CheckContext context) throws Exception {
        try {
            return reference.get(Math.max(1, context.remaining().toMillis()), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw new Exception(sides.reference() + ": " + (cause.getMessage() == null ? cause.toString() : cause.getMessage()), cause);
        } catch (TimeoutException e) {
            reference.cancel(true);
            throw new Exception(sides.reference() + ": its catalog was not read before the deadline (--timeout)", e);
        }
    }
}
