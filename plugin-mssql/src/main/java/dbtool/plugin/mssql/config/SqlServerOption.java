package dbtool.plugin.mssql.config;

import dbtool.spi.ServerConfiguration;
import dbtool.spi.UsageException;
import java.util.List;

/**
 * One row of sys.configurations: the configured value (what sp_configure wrote), the running one
 * (value_in_use, what RECONFIGURE or, for a static option, the last restart installed), its range
 * and whether it can change without a restart.
 */
record SqlServerOption(String name, long value, long valueInUse, long min, long max, boolean dynamic, boolean advanced, String description) {

    /**
     * As {@code dbtool config} shows it: the running value, {@code dynamic} or {@code static} as the
     * context, {@code advanced} or {@code basic} as the source (advanced ones need 'show advanced
     * options' for sp_configure), and the configured value, which {@code config rollback} writes back.
     */
    ServerConfiguration.Parameter parameter() {
        return new ServerConfiguration.Parameter(name, Long.toString(valueInUse), null, "integer", advanced ? "advanced" : "basic",
                dynamic ? "dynamic" : "static", !dynamic && value != valueInUse, Long.toString(min), Long.toString(max), List.of(),
                Long.toString(value), description);
    }

    /** The value as sp_configure takes it: a whole number from minimum to maximum. */
    long parse(String text) {
        String value = text.strip();
        if (!value.matches("[+-]?\\d{1,30}")) {
            throw new UsageException(name + ": expected a whole number from " + min + " to " + max + ", got '"
                    + text.replaceAll("\\p{Cntrl}", "?") + "'");
        }
        long parsed;
        try {
            parsed = Long.parseLong(value);
        } catch (NumberFormatException e) {
            parsed = value.startsWith("-") ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
        if (parsed < min || parsed > max) {
            throw new UsageException(name + ": " + value + " is out of range; expected " + min + " to " + max);
        }
        return parsed;
    }
}
