/**
 * What engine plugins share, so that a number, a duration, a blocking tree or a failed login looks
 * the same whichever engine reported it: a JDBC session base ({@link dbtool.toolkit.jdbc.JdbcSession}),
 * timed connection stages ({@link dbtool.toolkit.Stages}), failure causes
 * ({@link dbtool.toolkit.FailureCause}), one value conversion ({@link dbtool.toolkit.Values}), the
 * blocking forest ({@link dbtool.toolkit.BlockingForest}) and the formatting of durations and bytes
 * ({@link dbtool.toolkit.Format}).
 *
 * <p>It knows only the SPI and the JDK. It is not part of core: each plugin folder carries its own
 * copy next to the plugin jar, so it loads in the plugin's layer and a plugin never depends on
 * core's internals (docs/architecture.md, "The plugin toolkit").
 */
module dbtool.toolkit {
    requires transitive dbtool.core;
    requires transitive java.sql;

    exports dbtool.toolkit;
    exports dbtool.toolkit.jdbc;
}
