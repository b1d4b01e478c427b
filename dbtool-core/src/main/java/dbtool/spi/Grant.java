package dbtool.spi;

import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One statement of the least-privilege role an engine's checks need, with the reason it is there:
 * declared by the plugin ({@link EnginePlugin#grants()}) and printed by {@code dbtool grants ENGINE},
 * applied by the Ansible role and rendered into the Terraform module's Vault creation statements, so
 * that the three cannot drift apart.
 *
 * <p>The statement is in the engine's own language (SQL, or mongosh for MongoDB) and names the
 * grantee as {@code {{role}}}, already quoted as the engine needs ({@code "{{role}}"},
 * {@code [{{role}}]}). Other placeholders ({@code {{warehouse}}}) are values the operator supplies
 * ({@code dbtool grants snowflake --set warehouse=ETL_WH}). Placeholders are lower case with
 * underscores.
 *
 * <pre>{@code
 * new Grant("GRANT pg_monitor TO \"{{role}}\"",
 *         "reads every session in pg_stat_activity, pg_locks, replication and the settings")
 * }</pre>
 *
 * @param statement one statement, without a trailing terminator ({@code ;})
 * @param reason    one line: what the checks read with it, so a reviewer can judge it
 */
public record Grant(String statement, String reason) {

    /** The grantee's placeholder. */
    public static final String ROLE = "role";

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([a-z][a-z0-9_]*)}}");

    /**
     * Checks both texts.
     *
     * @throws IllegalArgumentException for a blank or multi-line reason, a statement that is blank,
     *                                  ends in {@code ;} or names no {@code {{role}}}
     */
    public Grant {
        Objects.requireNonNull(statement, "statement");
        Objects.requireNonNull(reason, "reason");
        if (statement.isBlank() || statement.strip().endsWith(";")) {
            throw new IllegalArgumentException("a grant's statement is one statement without a trailing ';': " + statement);
        }
        if (!placeholders(statement).contains(ROLE)) {
            throw new IllegalArgumentException("a grant's statement names its grantee as {{role}}: " + statement);
        }
        if (reason.isBlank() || reason.contains("\n")) {
            throw new IllegalArgumentException("a grant's reason is one line: " + statement);
        }
    }

    /**
     * The placeholders a statement names, in order of first appearance.
     *
     * @param text a statement
     * @return the names between {@code {{ }}}, e.g. {@code role} and {@code warehouse}
     */
    public static Set<String> placeholders(String text) {
        Set<String> names = new LinkedHashSet<>();
        Matcher matcher = PLACEHOLDER.matcher(text);
        while (matcher.find()) {
            names.add(matcher.group(1));
        }
        return names;
    }
}
