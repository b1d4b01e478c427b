package dbtool.change.diff;

import dbtool.core.report.Playbooks;
import dbtool.spi.CatalogSource.Catalog;
import dbtool.spi.CatalogSource.CatalogObject;
import dbtool.spi.CatalogSource.Weight;
import dbtool.spi.Finding;
import dbtool.spi.Severity;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The engine-neutral comparison behind {@code dbtool diff A B}: two catalogs ({@link dbtool.spi.CatalogSource})
 * matched object by object (kind, schema, name), each difference a finding with the statements that make B
 * like A. A is the reference: an object only A has is created on B, one only B has is dropped from B, and an
 * attribute that differs gets A's value on B (by the object's ALTER, else by dropping and creating it).
 *
 * <p>Severity: a different major version, and any difference in an object of weight BEHAVIOUR (schema objects,
 * roles, extensions, settings that change what applications see) are WARNING; the rest (most settings, a
 * different minor version) are INFO. LOCAL objects (host-specific settings) are compared only when asked.
 */
final class Parity {

    /** The playbook page that explains every code; each code is a heading of its own there. */
    static final String PLAYBOOK = "environment-parity";

    /** Findings are listed in the order their statements should run: what others depend on first. */
    static final List<String> KIND_ORDER = List.of("version", "setting", "extension", "schema", "role", "membership", "table",
            "column", "constraint", "index", "function");

    static final Map<String, String> CODES = codes();

    /** For the kind of object a plugin of another engine may add. */
    static final String OTHER_CODE = "PARITY_OBJECT";

    /** The longest attribute value a title quotes. */
    private static final int SHOWN = 60;

    /**
     * What is compared.
     *
     * @param schema      only the objects of this schema and the server- and database-wide ones, or null for all
     * @param allSettings compare the host-specific (LOCAL) objects too
     */
    record Scope(String schema, boolean allSettings) {
        boolean includes(CatalogObject object) {
            return (allSettings || object.weight() != Weight.LOCAL) && (schema == null || object.schema() == null || schema.equals(object.schema()));
        }
    }

    /** Who is compared with whom, for the findings' words. */
    record Sides(String reference, String target) {
    }

    private Parity() {
    }

    private static Map<String, String> codes() {
        Map<String, String> codes = new LinkedHashMap<>();
        codes.put("version", "PARITY_VERSION");
        codes.put("setting", "PARITY_SETTING");
        codes.put("extension", "PARITY_EXTENSION");
        codes.put("schema", "PARITY_SCHEMA");
        codes.put("role", "PARITY_ROLE");
        codes.put("membership", "PARITY_MEMBERSHIP");
        codes.put("table", "PARITY_TABLE");
        codes.put("column", "PARITY_COLUMN");
        codes.put("constraint", "PARITY_CONSTRAINT");
        codes.put("index", "PARITY_INDEX");
        codes.put("function", "PARITY_FUNCTION");
        return codes;
    }

    /** Every code a comparison may report. */
    static Set<String> allCodes() {
        Set<String> all = new TreeSet<>(CODES.values());
        all.add(OTHER_CODE);
        return all;
    }

    static List<Finding> compare(Catalog reference, Catalog target, Sides sides, Scope scope) {
        List<Finding> findings = new ArrayList<>();
        version(reference, target, sides).ifPresent(findings::add);
        Map<String, CatalogObject> a = index(reference, scope);
        Map<String, CatalogObject> b = index(target, scope);
        Set<String> missing = new LinkedHashSet<>(a.keySet());
        missing.removeAll(b.keySet());
        Set<String> extra = new LinkedHashSet<>(b.keySet());
        extra.removeAll(a.keySet());
        List<String> keys = new ArrayList<>(a.keySet());
        extra.forEach(keys::add);
        keys.sort(Comparator.comparingInt((String key) -> order(key.substring(0, key.indexOf(':')))).thenComparing(key -> key));
        for (String key : keys) {
            CatalogObject mine = a.get(key);
            CatalogObject theirs = b.get(key);
            if (mine == null) {
                if (!extra.contains(theirs.parent())) {
                    findings.add(onlyOnTarget(theirs, sides));
                }
            } else if (theirs == null) {
                if (!missing.contains(mine.parent())) {
                    findings.add(missingOnTarget(mine, sides));
                }
            } else {
                differs(mine, theirs, sides).ifPresent(findings::add);
            }
        }
        return findings;
    }

    private static Optional<Finding> version(Catalog reference, Catalog target, Sides sides) {
        if (reference.version().equals(target.version())) {
            return Optional.empty();
        }
        boolean major = !reference.majorVersion().equals(target.majorVersion());
        return Optional.of(Finding.of(CODES.get("version"), major ? Severity.WARNING : Severity.INFO,
                        (major ? "major version differs: " : "version differs: ") + reference.version() + " on " + sides.reference() + ", "
                                + target.version() + " on " + sides.target())
                .detail(major ? "a different major version plans, locks and behaves differently: what works on " + sides.reference()
                        + " is not proven on " + sides.target() : "minor releases fix bugs; behaviour stays the same")
                .evidence(evidence("version", null, "version", sides, "differs", Map.of("version",
                        Map.of("reference", reference.version(), "target", target.version())), List.of()))
                .recommendation("no statement aligns a server version: upgrade the older server (" + (major
                        ? "a major upgrade: pg_upgrade or the engine's own tool" : "the engine's packages") + "), then compare again")
                .playbook(link(CODES.get("version"))).build());
    }

    private static Map<String, CatalogObject> index(Catalog catalog, Scope scope) {
        Map<String, CatalogObject> objects = new LinkedHashMap<>();
        for (CatalogObject object : catalog.objects()) {
            if (scope.includes(object)) {
                objects.put(object.key(), object);
            }
        }
        return objects;
    }

    private static Finding missingOnTarget(CatalogObject mine, Sides sides) {
        return finding(mine, mine.kind() + " " + display(mine) + " is on " + sides.reference() + " but not on " + sides.target(),
                "missing", Map.of(), mine.create(), sides,
                "it cannot be created by a statement (it comes with the server's version or build)");
    }

    private static Finding onlyOnTarget(CatalogObject theirs, Sides sides) {
        return finding(theirs, theirs.kind() + " " + display(theirs) + " is on " + sides.target() + " but not on " + sides.reference(),
                "extra", Map.of(), theirs.drop(), sides, "it cannot be dropped by a statement (it comes with the server's version or build)");
    }

    private static Optional<Finding> differs(CatalogObject mine, CatalogObject theirs, Sides sides) {
        Set<String> names = new TreeSet<>(mine.attributes().keySet());
        names.addAll(theirs.attributes().keySet());
        Map<String, Object> attributes = new LinkedHashMap<>();
        List<String> statements = new ArrayList<>();
        boolean recreate = false;
        for (String name : names) {
            String want = mine.attributes().getOrDefault(name, "(none)");
            String have = theirs.attributes().getOrDefault(name, "(none)");
            if (!want.equals(have)) {
                attributes.put(name, Map.of("reference", want, "target", have));
                List<String> alter = mine.alter().get(name);
                if (alter == null) {
                    recreate = true;
                } else {
                    alter.stream().filter(s -> !statements.contains(s)).forEach(statements::add);
                }
            }
        }
        if (attributes.isEmpty()) {
            return Optional.empty();
        }
        if (recreate) {
            statements.clear();
            if (!theirs.drop().isEmpty() && !mine.create().isEmpty()) {
                statements.addAll(theirs.drop());
                statements.addAll(mine.create());
            }
        }
        StringBuilder title = new StringBuilder(mine.kind() + " " + display(mine) + " differs: ");
        List<String> parts = new ArrayList<>();
        attributes.forEach((name, values) -> {
            @SuppressWarnings("unchecked")
            Map<String, String> pair = (Map<String, String>) values;
            // Long values (a function's definition) stay in the evidence; the title names the attribute.
            parts.add(pair.get("reference").length() > SHOWN || pair.get("target").length() > SHOWN ? name
                    : name + " " + shown(pair.get("reference")) + " on " + sides.reference() + ", " + shown(pair.get("target")) + " on "
                    + sides.target());
        });
        title.append(String.join("; ", parts));
        return Optional.of(finding(mine, title.toString(), "differs", attributes, statements, sides,
                "no statement changes it on a running server (it is fixed when the server or database is created)"));
    }

    private static Finding finding(CatalogObject object, String title, String difference, Map<String, Object> attributes,
                                   List<String> statements, Sides sides, String whyNone) {
        String code = code(object.kind());
        Severity severity = object.weight() == Weight.BEHAVIOUR ? Severity.WARNING : Severity.INFO;
        String recommendation = statements.isEmpty() ? "nothing to run: " + whyNone
                : "to make " + sides.target() + " like " + sides.reference() + ", run on " + sides.target() + ":\n" + script(statements)
                + (difference.equals("extra") ? "\n(this drops it and what it holds: check first that nothing on " + sides.target()
                + " needs it)" : "");
        return Finding.of(code, severity, title)
                .evidence(evidence(object.kind(), object.schema(), object.name(), sides, difference, attributes, statements))
                .recommendation(recommendation)
                .playbook(link(code)).build();
    }

    private static Map<String, Object> evidence(String kind, String schema, String name, Sides sides, String difference,
                                                Map<String, Object> attributes, List<String> statements) {
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("kind", kind);
        if (schema != null) {
            evidence.put("schema", schema);
        }
        evidence.put("name", name);
        evidence.put("reference", sides.reference());
        evidence.put("difference", difference);
        if (!attributes.isEmpty()) {
            evidence.put("attributes", attributes);
        }
        evidence.put("statements", statements);
        return evidence;
    }

    /** The statements as a script: each ends with a semicolon, comments as they are. */
    static String script(List<String> statements) {
        StringBuilder script = new StringBuilder();
        for (String statement : statements) {
            script.append(statement.startsWith("--") ? statement : statement + ";").append('\n');
        }
        return script.toString().stripTrailing();
    }

    static String code(String kind) {
        return CODES.getOrDefault(kind, OTHER_CODE);
    }

    static String link(String code) {
        return Playbooks.LINK_BASE + PLAYBOOK + ".md#" + code.toLowerCase(Locale.ROOT);
    }

    private static int order(String kind) {
        int at = KIND_ORDER.indexOf(kind);
        return at < 0 ? KIND_ORDER.size() : at;
    }

    private static String display(CatalogObject object) {
        return object.schema() == null || object.kind().equals("schema") ? object.name() : object.schema() + "." + object.name();
    }

    private static String shown(String value) {
        return "'" + value.replaceAll("\\s+", " ") + "'";
    }
}
