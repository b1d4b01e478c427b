package dbtool.testkit.tds;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * SQL Server's server options for the TDS responder, with state: sys.configurations as a table,
 * {@code sp_configure} that checks a change as SQL Server does and writes the configured value,
 * and {@code RECONFIGURE} that installs the configured value of dynamic options only (a static one
 * runs its new value after {@link #restart()}). Errors carry SQL Server's numbers and texts:
 * 15123 for a name it does not know or an advanced option while 'show advanced options' runs as 0,
 * 15124 for a name that matches several, 15129 for a value out of range, 8114 for a value that is no
 * number, and 5807 from RECONFIGURE for a recovery interval above 60 minutes. Each statement is one
 * batch; a batch with several statements is not understood (the responder reports it as unexpected).
 *
 * <pre>{@code
 * TdsServerConfiguration options = TdsServerConfiguration.sqlServer2019();
 * TdsScenario scenario = options.installOn(new TdsScenario().login("dba", "secret"));
 * }</pre>
 */
public final class TdsServerConfiguration {

    /** The columns the SELECT from sys.configurations gets, values cast to bigint as a client must (they are sql_variant). */
    public static final String[] COLUMNS = {"name", "value:bigint", "value_in_use:bigint", "minimum:bigint", "maximum:bigint",
            "is_dynamic:bit", "is_advanced:bit", "description"};

    private static final Pattern SELECT = Pattern.compile("(?is)\\s*SELECT\\s.+\\sFROM\\s+sys\\.configurations\\s+ORDER\\s+BY\\s+name\\s*;?\\s*");
    private static final Pattern SP_CONFIGURE = Pattern.compile(
            "(?is)\\s*EXEC(?:UTE)?\\s+(?:sys\\.)?sp_configure\\s+N?'((?:[^']|'')*)'\\s*,\\s*(-?\\d+|N?'[^']*')\\s*;?\\s*");
    private static final Pattern RECONFIGURE = Pattern.compile("(?is)\\s*RECONFIGURE(\\s+WITH\\s+OVERRIDE)?\\s*;?\\s*");
    private static final String SHOW_ADVANCED = "show advanced options";

    /** One row of sys.configurations. */
    private static final class Option {
        final String name;
        final long min;
        final long max;
        final boolean dynamic;
        final boolean advanced;
        final String description;
        long value;
        long valueInUse;

        Option(String name, long value, long min, long max, boolean dynamic, boolean advanced, String description) {
            this.name = name;
            this.value = value;
            this.valueInUse = value;
            this.min = min;
            this.max = max;
            this.dynamic = dynamic;
            this.advanced = advanced;
            this.description = description;
        }
    }

    private final Map<String, Option> options = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);

    /**
     * Some options of a SQL Server 2019 instance with their defaults, ranges and descriptions as
     * sys.configurations shows them: dynamic and static, basic and advanced.
     */
    public static TdsServerConfiguration sqlServer2019() {
        return new TdsServerConfiguration()
                .option("backup compression default", 0, 0, 1, true, false, "Enable compression of backups by default")
                .option("cost threshold for parallelism", 5, 0, 32767, true, true, "cost threshold for parallelism")
                .option("lightweight pooling", 0, 0, 1, false, true, "User mode scheduler uses lightweight pooling")
                .option("max degree of parallelism", 0, 0, 32767, true, true, "maximum degree of parallelism")
                .option("max server memory (MB)", 2147483647, 128, 2147483647, true, true, "Maximum size of server memory (MB)")
                .option("min server memory (MB)", 0, 0, 2147483647, true, true, "Minimum size of server memory (MB)")
                .option("optimize for ad hoc workloads", 0, 0, 1, true, true,
                        "When this option is set, plan cache size is further reduced for single-use adhoc OLTP workload.")
                .option("recovery interval (min)", 0, 0, 32767, true, true, "Maximum recovery interval in minutes")
                .option("remote access", 1, 0, 1, false, false, "Allow remote access")
                .option("remote admin connections", 0, 0, 1, true, false, "Dedicated Admin Connections are allowed from remote clients")
                .option(SHOW_ADVANCED, 0, 0, 1, true, false, "show advanced options")
                .option("user connections", 0, 0, 32767, false, true, "Number of user connections allowed")
                .option("xp_cmdshell", 0, 0, 1, true, true, "Enable or disable command shell");
    }

    /** Adds an option, configured and running with {@code value}. */
    public synchronized TdsServerConfiguration option(String name, long value, long min, long max, boolean dynamic, boolean advanced,
                                                      String description) {
        options.put(name, new Option(name, value, min, max, dynamic, advanced, description));
        return this;
    }

    /** Lets the scenario answer the SELECT from sys.configurations, sp_configure and RECONFIGURE from this state. */
    public TdsScenario installOn(TdsScenario scenario) {
        return scenario.answerWith(sql -> SELECT.matcher(sql).matches(), sql -> table())
                .answerWith(sql -> SP_CONFIGURE.matcher(sql).matches(), this::spConfigure)
                .answerWith(sql -> RECONFIGURE.matcher(sql).matches(), this::reconfigure);
    }

    /** The configured value (sys.configurations.value). */
    public synchronized long value(String name) {
        return get(name).value;
    }

    /** The running value (sys.configurations.value_in_use). */
    public synchronized long valueInUse(String name) {
        return get(name).valueInUse;
    }

    /** Configures a value without RECONFIGURE and without checks, as a change someone left half made. */
    public synchronized void configure(String name, long value) {
        get(name).value = value;
    }

    /** What a restart does: every option runs its configured value. */
    public synchronized void restart() {
        options.values().forEach(o -> o.valueInUse = o.value);
    }

    private Option get(String name) {
        Option option = options.get(name);
        if (option == null) {
            throw new IllegalArgumentException("no option '" + name + "' in this configuration");
        }
        return option;
    }

    private synchronized TdsAnswer table() {
        TdsResult result = TdsResult.columns(COLUMNS);
        for (Option o : options.values()) {
            result.row(o.name, o.value, o.valueInUse, o.min, o.max, o.dynamic, o.advanced, o.description);
        }
        return TdsAnswer.rows(result);
    }

    /** sp_configure 'name', value: the name as sp_configure finds it (exact, else a unique part of one), then the range. */
    private synchronized TdsAnswer spConfigure(String sql) {
        Matcher m = SP_CONFIGURE.matcher(sql);
        if (!m.matches()) {
            throw new IllegalStateException("not an sp_configure call: " + sql);
        }
        String name = m.group(1).replace("''", "'");
        String literal = m.group(2).replaceFirst("^N?'(.*)'$", "$1").strip();
        boolean advancedShown = get(SHOW_ADVANCED).valueInUse == 1;
        List<Option> found = new ArrayList<>();
        Option exact = options.get(name);
        if (exact != null) {
            found.add(exact);
        } else {
            options.values().stream().filter(o -> o.name.toLowerCase(Locale.ROOT).contains(name.toLowerCase(Locale.ROOT))).forEach(found::add);
        }
        found.removeIf(o -> o.advanced && !advancedShown);
        if (found.isEmpty()) {
            return TdsAnswer.error(15123, 16, "The configuration option '" + name + "' does not exist, or it may be an advanced option.");
        }
        if (found.size() > 1) {
            return TdsAnswer.error(15124, 16, "The configuration option '" + name + "' is not unique.");
        }
        if (!literal.matches("-?\\d{1,10}")) {
            return TdsAnswer.error(8114, 16, "Error converting data type varchar to int.");
        }
        Option option = found.getFirst();
        long value = Long.parseLong(literal);
        if (value < option.min || value > option.max) {
            return TdsAnswer.error(15129, 16, "'" + value + "' is not a valid value for configuration option '" + option.name + "'.");
        }
        long before = option.value;
        option.value = value;
        return TdsAnswer.notice(15457, "Configuration option '" + option.name + "' changed from " + before + " to " + value
                + ". Run the RECONFIGURE statement to install.", TdsAnswer.done());
    }

    /** RECONFIGURE: all dynamic options run their configured values, or none does when a check fails. */
    private synchronized TdsAnswer reconfigure(String sql) {
        Matcher m = RECONFIGURE.matcher(sql);
        boolean override = m.matches() && m.group(1) != null;
        Option recovery = options.get("recovery interval (min)");
        if (!override && recovery != null && recovery.value > 60 && recovery.value != recovery.valueInUse) {
            return TdsAnswer.error(5807, 16, "Recovery intervals above 60 minutes not recommended. Use the RECONFIGURE WITH OVERRIDE statement "
                    + "to force this configuration.");
        }
        options.values().stream().filter(o -> o.dynamic).forEach(o -> o.valueInUse = o.value);
        return TdsAnswer.done();
    }
}
