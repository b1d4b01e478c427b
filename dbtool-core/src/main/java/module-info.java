/**
 * dbtool's core: the plugin SPI ({@code dbtool.spi}, the only package everybody may use),
 * plugin loading into one module layer per plugin, the commands, the {@code dbtool>} shell,
 * configuration and the text and JSON renderers.
 *
 * <p>Core knows no plugin, no driver, no Vault or Kerberos class: engines and credential
 * providers arrive through {@link java.util.ServiceLoader} from their own layers.
 *
 * <p>First-party feature modules (dbtool.serve, dbtool.logs, dbtool.top, dbtool.triage, dbtool.change, dbtool.monitoring) sit beside core on the boot module
 * path and provide {@link dbtool.core.cli.Command}s; core imports none of them. The internal
 * packages they build on are exported to them only, so they stay internal for everyone else.
 * testkit gets the runner and the report types too: its PluginRun runs a plugin's checks as
 * {@code dbtool troubleshoot} does, for tests of plugins built outside this repository.
 * dbtool.tracing (OpenTelemetry) is looked up only when an OTLP endpoint is configured, from a layer
 * of its own in the bundle, which gets core's packages by {@link java.lang.Module#addExports} at run time.
 * ("module": the feature modules are built after core, so javac cannot see them here.)
 */
@SuppressWarnings("module")
module dbtool.core {
    requires org.jline.reader;
    requires org.jline.terminal;
    requires org.apache.commons.cli;
    requires com.google.gson;
    requires java.logging;
    // Signals reaches sun.misc.Signal by reflection: the module must be in the boot layer for every command.
    requires jdk.unsupported;

    exports dbtool.spi;

    exports dbtool.core to dbtool.serve, dbtool.logs, dbtool.top, dbtool.triage, dbtool.change, dbtool.monitoring, dbtool.tracing;
    exports dbtool.core.cli to dbtool.serve, dbtool.logs, dbtool.top, dbtool.triage, dbtool.change, dbtool.monitoring;
    exports dbtool.core.config to dbtool.serve, dbtool.logs, dbtool.top, dbtool.triage, dbtool.change, dbtool.monitoring;
    exports dbtool.core.log to dbtool.serve, dbtool.logs, dbtool.top, dbtool.triage, dbtool.change, dbtool.monitoring, dbtool.tracing;
    exports dbtool.core.plugin to dbtool.serve, dbtool.logs, dbtool.top, dbtool.triage, dbtool.change, dbtool.monitoring;
    exports dbtool.core.report to dbtool.serve, dbtool.logs, dbtool.top, dbtool.triage, dbtool.change, dbtool.monitoring, dbtool.testkit, dbtool.tracing;
    exports dbtool.core.run to dbtool.serve, dbtool.logs, dbtool.top, dbtool.triage, dbtool.change, dbtool.monitoring, dbtool.testkit, dbtool.tracing;

    uses dbtool.core.cli.Command;
    uses dbtool.core.cli.ReportNotifier;
    uses dbtool.core.run.CheckContributor;
    uses dbtool.core.run.TracingProvider;
    uses dbtool.spi.EnginePlugin;
    uses dbtool.spi.CredentialProvider;
    uses dbtool.spi.DemoScenario;
    uses dbtool.spi.IdentityReporter;
    uses dbtool.spi.LoginHandler;
}
