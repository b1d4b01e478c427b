/**
 * dbtool's core: the plugin SPI ({@code dbtool.spi}, the only package everybody may use),
 * plugin loading into one module layer per plugin, the commands, the {@code dbtool>} shell,
 * configuration and the text and JSON renderers.
 *
 * <p>Core knows no plugin, no driver, no Vault or Kerberos class: engines and credential
 * providers arrive through {@link java.util.ServiceLoader} from their own layers.
 */
module dbtool.core {
    requires org.jline.reader;
    requires org.jline.terminal;
    requires org.apache.commons.cli;
    requires com.google.gson;

    exports dbtool.spi;


    uses dbtool.spi.EnginePlugin;
    uses dbtool.spi.CredentialProvider;
    uses dbtool.spi.DemoScenario;
    uses dbtool.spi.IdentityReporter;
    uses dbtool.spi.LoginHandler;
}
