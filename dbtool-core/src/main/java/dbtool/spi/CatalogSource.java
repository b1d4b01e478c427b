package dbtool.spi;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * An optional capability of an {@link EngineSession}: the objects of the target's catalog (settings,
 * extensions, schemas, tables, columns, indexes, constraints, functions, roles), so that
 * {@code dbtool diff A B} can compare two targets of the engine. A plugin offers it by letting its session
 * class implement this interface; sessions that do not are not asked (SPI 1.0 plugins keep working).
 *
 * <p>The comparison is dbtool's and engine-neutral: it matches objects by {@link CatalogObject#kind()},
 * {@link CatalogObject#schema()} and {@link CatalogObject#name()}, compares their attributes as text, and
 * prints the statements each object carries. So the plugin decides what is worth comparing (and normalises
 * it: a function body with its whitespace collapsed) and how its engine creates, alters and drops it.
 *
 * <p>Reading stays within the session's rules: read-only, server-side timeouts no longer than
 * {@link CheckContext#remaining()}. Secrets are never part of the catalog (no password hashes).
 */
public interface CatalogSource {

    /**
     * Reads the catalog of the session's database and server.
     *
     * @param context the run's context: its deadline bounds the reading
     * @return the catalog; objects in any order
     * @throws Exception with a one-line message (no secret) when it cannot be read
     */
    Catalog catalog(CheckContext context) throws Exception;

    /**
     * What one target's catalog holds.
     *
     * @param engine       the engine id ({@link EnginePlugin#id()})
     * @param version      the server's version as it reports it, e.g. {@code 15.10}
     * @param majorVersion the part of the version that decides compatibility, e.g. {@code 15}
     * @param objects      the objects
     */
    record Catalog(String engine, String version, String majorVersion, List<CatalogObject> objects) {
        /** Copies the list; no null fields. */
        public Catalog {
            Objects.requireNonNull(engine, "engine");
            Objects.requireNonNull(version, "version");
            Objects.requireNonNull(majorVersion, "majorVersion");
            objects = List.copyOf(objects);
        }
    }

    /** How much a difference in an object matters: decides the finding's severity, or whether it is compared at all. */
    enum Weight {
        /** Specific to the host or instance (a data directory, a port): compared only when asked ({@code --all-settings}). */
        LOCAL,
        /** Worth knowing (INFO): most settings, an extension's version. */
        ORDINARY,
        /** Changes what applications see (WARNING): a schema object, a role, a setting such as {@code search_path}. */
        BEHAVIOUR
    }

    /**
     * One object of the catalog.
     *
     * @param kind       what it is, lower case: {@code setting}, {@code extension}, {@code schema}, {@code table},
     *                   {@code column}, {@code index}, {@code constraint}, {@code function}, {@code role},
     *                   {@code membership}, or the engine's own
     * @param schema     the schema it lives in, or null for server- or database-wide objects (settings, roles);
     *                   {@code dbtool diff --schema} keeps the objects of one schema and the wide ones
     * @param name       its name, unique within kind and schema, e.g. {@code orders.total} for a column or
     *                   {@code total_of(integer)} for a function
     * @param parent     the {@link #key()} of the object it belongs to (a column's, index's or constraint's table), or
     *                   null: the parent's {@code create} creates it too and its {@code drop} removes it, so when the
     *                   parent is missing on one side, the object is not reported on its own
     * @param weight     how much a difference matters
     * @param attributes what is compared, as text (a column's type, default and nullability); sorted by name
     * @param create     the statements that create it, as it is here, on a target that lacks it; empty when none
     *                   can (a setting the other server does not know)
     * @param alter      per attribute, the statements that give an existing object of the other target this
     *                   attribute's value; an attribute without one is aligned by {@code drop} and {@code create}
     * @param drop       the statements that remove it; empty when it cannot be removed
     */
    record CatalogObject(String kind, String schema, String name, String parent, Weight weight, Map<String, String> attributes,
                         List<String> create, Map<String, List<String>> alter, List<String> drop) {
        /** Copies the collections; no null kind, name, weight or collection. */
        public CatalogObject {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(weight, "weight");
            attributes = Collections.unmodifiableSortedMap(new TreeMap<>(attributes));
            create = List.copyOf(create);
            alter = Map.copyOf(alter);
            drop = List.copyOf(drop);
        }

        /**
         * The key objects are matched by across targets: kind, schema and name.
         *
         * @return {@code kind:schema.name}, or {@code kind:name} without a schema
         */
        public String key() {
            return key(kind, schema, name);
        }

        /**
         * The key of an object of this kind, schema and name.
         *
         * @param kind   its kind
         * @param schema its schema, or null
         * @param name   its name
         * @return {@code kind:schema.name}, or {@code kind:name} without a schema
         */
        public static String key(String kind, String schema, String name) {
            return kind + ":" + (schema == null ? "" : schema + ".") + name;
        }
    }
}
