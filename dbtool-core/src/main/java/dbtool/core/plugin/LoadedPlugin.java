package dbtool.core.plugin;

import dbtool.spi.CredentialProvider;
import dbtool.spi.DemoScenario;
import dbtool.spi.EnginePlugin;
import dbtool.spi.IdentityReporter;
import dbtool.spi.LoginHandler;
import java.util.List;
import java.util.Optional;

/**
 * A plugin folder after its layer was created: the services it provides, or why it failed.
 *
 * @param directory   the folder
 * @param modules     names of the modules in its layer (empty on failure)
 * @param engines     engine plugins it provides
 * @param credentials credential providers it provides
 * @param demos       demo scenarios it provides
 * @param identities  identity reporters it provides (for dbtool auth status)
 * @param logins      login handlers it provides (for dbtool auth login and logout)
 * @param failure     one-line reason it could not be loaded; empty when it loaded
 */
public record LoadedPlugin(PluginDirectory directory, List<String> modules, List<EnginePlugin> engines,
                           List<CredentialProvider> credentials, List<DemoScenario> demos,
                           List<IdentityReporter> identities, List<LoginHandler> logins, Optional<String> failure) {

    public LoadedPlugin {
        modules = List.copyOf(modules);
        engines = List.copyOf(engines);
        credentials = List.copyOf(credentials);
        demos = List.copyOf(demos);
        identities = List.copyOf(identities);
        logins = List.copyOf(logins);
    }

    static LoadedPlugin failed(PluginDirectory directory, String reason) {
        return new LoadedPlugin(directory, List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), Optional.of(reason));
    }

    public boolean ok() {
        return failure.isEmpty();
    }
}
