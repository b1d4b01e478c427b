module compat.plugin {
    requires dbtool.core;

    provides dbtool.spi.EnginePlugin with compat.plugin.CompatEngine;
    provides dbtool.spi.CredentialProvider with compat.plugin.CompatCredentials;
    provides dbtool.spi.IdentityReporter with compat.plugin.CompatCredentials;
    provides dbtool.spi.LoginHandler with compat.plugin.CompatCredentials;
    provides dbtool.spi.DemoScenario with compat.plugin.CompatDemo;
}
