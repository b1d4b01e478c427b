package dbtool.monitoring;

import dbtool.core.DbtoolException;
import java.util.List;
import java.util.Locale;

/** The engines dbtool generates rules and dashboards for, by the plugin id that serve's {@code engine} label carries. */
public final class Engines {

    public static final List<String> ALL = List.of("postgresql", "sqlserver", "mongodb", "snowflake");

    private Engines() {
    }

    /** The engines {@code --engine} selects: all of them without one; exit 64 for one dbtool does not know. */
    public static List<String> select(String option) {
        if (option == null) {
            return ALL;
        }
        String engine = option.trim().toLowerCase(Locale.ROOT);
        if (!ALL.contains(engine)) {
            throw DbtoolException.usage("--engine " + option + ": unknown engine; expected one of " + String.join(", ", ALL));
        }
        return List.of(engine);
    }

    /** How people write the engine's name. */
    public static String title(String engine) {
        return switch (engine) {
            case "postgresql" -> "PostgreSQL";
            case "sqlserver" -> "SQL Server";
            case "mongodb" -> "MongoDB";
            case "snowflake" -> "Snowflake";
            default -> engine;
        };
    }
}
