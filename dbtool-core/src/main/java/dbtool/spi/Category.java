package dbtool.spi;

import java.util.List;

/**
 * The check categories every engine provides. A plugin may add its own category names
 * (for example {@code replication}); these four are the ones users can rely on.
 */
public final class Category {
    /** Can we reach, authenticate and talk to the server; how much room is left for connections. */
    public static final String CONNECTIVITY = "connectivity";
    /** Blocking, lock waits, transactions holding locks. */
    public static final String LOCKS = "locks";
    /** CPU, memory, storage, connections, replication and maintenance pressure. */
    public static final String RESOURCES = "resources";
    /** Statements running now and the most expensive recent ones. */
    public static final String QUERIES = "queries";

    /** The standard categories, in the order checks run and reports list them. */
    public static final List<String> STANDARD = List.of(CONNECTIVITY, LOCKS, RESOURCES, QUERIES);

    private Category() {
    }
}
