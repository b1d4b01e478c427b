package dbtool.plugin.mssql.config;

import java.util.List;

/**
 * A checked change as the statements that make it: {@code sp_configure} then {@code RECONFIGURE}.
 * For an advanced option while 'show advanced options' runs as 0 (sp_configure would answer error
 * 15123, "does not exist, or it may be an advanced option"), it is turned on first and configured
 * back to 0 before the one RECONFIGURE that installs both, so the change leaves it as it was.
 *
 * @param option       the option before the change
 * @param value        the new value, checked against the option's range
 * @param restart      whether the option is static: written now, running only after a restart
 * @param showAdvanced whether 'show advanced options' is turned on for the change and off again
 */
record SpConfigure(SqlServerOption option, long value, boolean restart, boolean showAdvanced) {

    static final String SHOW_ADVANCED = "show advanced options";
    static final String RECONFIGURE = "RECONFIGURE";

    List<String> statements() {
        if (!showAdvanced) {
            return List.of(statement(option.name(), value), RECONFIGURE);
        }
        return List.of(statement(SHOW_ADVANCED, 1), RECONFIGURE, statement(option.name(), value), statement(SHOW_ADVANCED, 0), RECONFIGURE);
    }

    /** One sp_configure call; the name comes from sys.configurations, its quotes are doubled all the same. */
    static String statement(String name, long value) {
        return "EXEC sp_configure N'" + name.replace("'", "''") + "', " + value;
    }
}
