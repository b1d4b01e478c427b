package compat.plugin;

import dbtool.spi.Category;
import dbtool.spi.Check;
import dbtool.spi.ConfigurationException;
import dbtool.spi.Credentials;
import dbtool.spi.EnginePlugin;
import dbtool.spi.EngineSession;
import dbtool.spi.SessionSettings;
import dbtool.spi.Target;
import dbtool.spi.TargetConfigurationException;
import dbtool.spi.UsageException;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/** The engine: opening a session reads every part of Target, Credentials and SessionSettings. */
public final class CompatEngine implements EnginePlugin {

    @Override
    public String id() {
        return "compat";
    }

    @Override
    public String displayName() {
        return "SPI 1 compatibility fixture";
    }

    @Override
    public Set<String> schemes() {
        return Set.of("compat");
    }

    @Override
    public int defaultPort() {
        return 7001;
    }

    @Override
    public List<Check> checks() {
        return List.of(new CompatChecks.Plain(), new CompatChecks.Typed());
    }

    @Override
    public EngineSession open(Target target, Credentials credentials, SessionSettings settings) throws Exception {
        if (target.settings().containsKey("reject")) {
            throw new TargetConfigurationException("option reject: this fixture rejects it");
        }
        if ("usage".equals(target.database())) {
            throw new UsageException("database 'usage': this fixture treats it as a usage error");
        }
        if ("config".equals(target.database())) {
            throw new ConfigurationException("database 'config': this fixture treats it as a configuration error");
        }
        String where = target.name() + " " + target.url() + " " + target.engine() + " " + target.host() + ":"
                + target.portOr(defaultPort()) + "/" + target.database() + " " + target.tags() + " " + target.port();
        String who = credentials.user().orElse("nobody") + " via " + credentials.source()
                + (credentials.password().isPresent() ? " with a password" : "")
                + (credentials.kerberosSubject().isPresent() ? " with Kerberos" : "")
                + (credentials.privateKey().isPresent() ? " with a key" : "")
                + (credentials.token().isPresent() ? " with a token" : "");
        Duration budget = settings.connectTimeout().plus(settings.statementTimeout()).plus(settings.lockTimeout());
        return new CompatSession(where, who, settings.applicationName(), budget);
    }

    /** A session with nothing behind it, as a plugin's own type. */
    public record CompatSession(String where, String who, String application, Duration budget) implements EngineSession {
        @Override
        public void cancel() {
            // nothing to cancel: every call returns at once
        }

        @Override
        public void close() {
        }
    }

    static final String CATEGORY = Category.CONNECTIVITY;
    static final List<String> ALL = Category.STANDARD;
    static final String OTHERS = Category.LOCKS + Category.RESOURCES + Category.QUERIES;
}
