package dbtool.auth.kerberos;

import com.sun.security.auth.module.UnixSystem;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import javax.security.auth.Subject;
import javax.security.auth.login.AppConfigurationEntry;
import javax.security.auth.login.Configuration;
import javax.security.auth.login.LoginContext;
import javax.security.auth.login.LoginException;
import org.ietf.jgss.GSSCredential;
import org.ietf.jgss.GSSException;
import org.ietf.jgss.GSSManager;

/**
 * The user's Kerberos identity for this command, from the source the platform prescribes
 * ({@link KerberosPlatform}): on Unix the ticket cache, else a client keytab named by
 * {@code KRB5_CLIENT_KTNAME} (as MIT does when the cache has no valid ticket); on Windows SSPI.
 * Each way a ticket can be missing is a one-line {@link KerberosException} with the fix.
 */
public final class TicketSource {

    private final KerberosPlatform platform;
    private final Function<String, String> environment;
    private final String uid;
    private final Clock clock;

    public TicketSource(KerberosPlatform platform, Function<String, String> environment, String uid, Clock clock) {
        this.platform = platform;
        this.environment = environment;
        this.uid = uid;
        this.clock = clock;
    }

    /** This process's source: its OS, environment and user id. */
    public static TicketSource current() {
        return new TicketSource(KerberosPlatform.current(), System::getenv, currentUid(), Clock.systemUTC());
    }

    /** The source for this OS and user, with the given environment (KRB5CCNAME, KRB5_CLIENT_KTNAME, ...). */
    public static TicketSource of(Function<String, String> environment) {
        return new TicketSource(KerberosPlatform.of(System.getProperty("os.name", ""), environment), environment, currentUid(),
                Clock.systemUTC());
    }

    public KerberosPlatform platform() {
        return platform;
    }

    /** The identity with a Subject ready for JGSS; applies the platform's JVM settings first. */
    public KerberosIdentity acquire() throws KerberosException {
        platform.apply();
        if (platform.mechanism() == KerberosPlatform.Mechanism.NATIVE_SSPI) {
            return sspi();
        }
        Found found = find();
        Map<String, String> options = new LinkedHashMap<>();
        options.put("principal", found.principal());
        options.put("doNotPrompt", "true");
        options.put("isInitiator", "true");
        if (found.keytab() != null) {
            options.put("useKeyTab", "true");
            options.put("keyTab", found.keytab().toString());
            options.put("storeKey", "false");
        } else {
            options.put("useTicketCache", "true");
            options.put("ticketCache", found.cache().file().toString());
        }
        Subject subject = new Subject();
        try {
            new LoginContext("dbtool", subject, null, new SingleModule(options)).login();
        } catch (LoginException e) {
            throw new KerberosException("Kerberos login as " + found.principal() + " from " + found.source() + " failed: "
                    + KerberosErrors.explain(e));
        }
        return new KerberosIdentity(found.principal(), found.expires(), found.source(), subject);
    }

    /**
     * Whether {@link #acquire()} has something to work with, decided without logging in (so
     * without a KDC): on Unix a ticket-granting ticket in the cache that has not expired, or a
     * readable client keytab (KRB5_CLIENT_KTNAME); on Windows a domain logon, which is when
     * Windows sets USERDNSDOMAIN and SSPI holds Kerberos tickets.
     */
    public boolean usable() {
        if (platform.mechanism() == KerberosPlatform.Mechanism.NATIVE_SSPI) {
            String domain = environment.apply("USERDNSDOMAIN");
            return domain != null && !domain.isBlank();
        }
        try {
            find();
            return true;
        } catch (KerberosException e) {
            return false;
        }
    }

    /**
     * Why Kerberos cannot be used although a ticket cache is configured or present (a KEYRING:/KCM: cache,
     * a cache file that exists but is expired, a directory or garbage, a client keytab): the one line
     * {@link #acquire()} would fail with. Empty when Kerberos is usable, or when no cache file exists.
     */
    public Optional<String> unusableReason() {
        if (platform.mechanism() == KerberosPlatform.Mechanism.NATIVE_SSPI) {
            return Optional.empty();
        }
        try {
            find();
            return Optional.empty();
        } catch (KerberosException e) {
            try {
                TicketCache cache = TicketCache.locate(environment, uid);
                // A cache file that does not exist is the usual "no Kerberos here", not worth a line.
                boolean configured = !cache.readable() || keytabName() != null || Files.exists(cache.file());
                return configured ? Optional.of(e.getMessage()) : Optional.empty();
            } catch (IOException located) {
                return Optional.of(e.getMessage());
            }
        }
    }

    /** What {@code dbtool auth status} shows: facts, never a secret; empty when there is no Kerberos here at all. */
    public Map<String, String> describe() throws IOException {
        Map<String, String> facts = new LinkedHashMap<>();
        if (platform.mechanism() == KerberosPlatform.Mechanism.NATIVE_SSPI) {
            facts.put("source", "Windows logon session (SSPI)");
            try {
                KerberosIdentity identity = sspi();
                facts.put("principal", identity.principal());
                if (identity.expires() != null) {
                    facts.put("expires", identity.expires().toString());
                }
            } catch (KerberosException e) {
                facts.put("ticket", "none: " + e.getMessage());
            }
            return facts;
        }
        // Each source is reported on its own: a broken one must not hide what the others hold.
        String keytab = keytabName();
        TicketCache cache;
        try {
            cache = TicketCache.locate(environment, uid);
        } catch (IOException e) {
            cache = null;
            facts.put("ticket cache", "cannot be located (KRB5CCNAME): " + ioReason(e));
        }
        if (cache == null) {
            // reported above
        } else if (!cache.readable()) {
            facts.put("ticket cache", cache.describe());
            facts.put("problem", cache.unreadableMessage());
        } else if (Files.exists(cache.file())) {
            facts.put("ticket cache", cache.file() + " (" + cache.origin() + ")");
            try {
                CredentialCacheFile contents = CredentialCacheFile.read(cache.file());
                facts.put("principal", contents.principal());
                contents.ticketGrantingTicket().ifPresentOrElse(tgt -> facts.put("expires", tgt.end()
                                + (tgt.end().isAfter(clock.instant()) ? "" : " (expired: run kinit)")),
                        () -> facts.put("ticket", "none (run kinit)"));
            } catch (IOException | RuntimeException e) {
                facts.put("problem", cannotRead(cache, e));
            }
        } else if (keytab == null && cache.origin().equals("default")) {
            return facts;
        } else {
            facts.put("ticket cache", cache.file() + " (" + cache.origin() + "): none (run kinit)");
        }
        if (keytab != null) {
            Path file = Path.of(keytab);
            String about;
            if (!Files.isReadable(file)) {
                about = ": not readable";
            } else {
                try {
                    about = ", for " + KeytabFile.firstPrincipal(file);
                } catch (IOException | RuntimeException e) {
                    about = ": cannot be read: " + ioReason(e);
                }
            }
            facts.put("client keytab", file + " (KRB5_CLIENT_KTNAME)" + about);
        }
        return facts;
    }

    /** One line naming the cache and how it was found: "cannot read the Kerberos ticket cache PATH (origin): why". */
    private static String cannotRead(TicketCache cache, Exception e) {
        return "cannot read the Kerberos ticket cache " + cache.file() + " (" + cache.origin() + "): " + ioReason(e);
    }

    /** The reason of an I/O failure in words: a directory, a file cut short, or the message. */
    private static String ioReason(Exception e) {
        if (e instanceof EOFException) {
            return "the file ends early (truncated or not a ticket cache)";
        }
        if (e instanceof FileSystemException fs && fs.getReason() != null) {
            return fs.getReason();
        }
        String message = e.getMessage();
        if (message == null || message.isBlank()) {
            return e.getClass().getSimpleName();
        }
        return message.strip().replaceAll("\\s*\\R\\s*", " ");
    }

    private record Found(String principal, Instant expires, String source, TicketCache cache, Path keytab) {
    }

    private Found find() throws KerberosException {
        TicketCache cache;
        try {
            cache = TicketCache.locate(environment, uid);
        } catch (IOException e) {
            throw new KerberosException("cannot read the Kerberos ticket cache directory named by KRB5CCNAME: " + ioReason(e));
        }
        String problem;
        if (!cache.readable()) {
            problem = cache.unreadableMessage();
        } else if (!Files.exists(cache.file())) {
            problem = "no Kerberos ticket: " + cache.file() + " (" + cache.origin() + ") does not exist; run kinit";
        } else if (Files.isDirectory(cache.file())) {
            problem = "cannot read the Kerberos ticket cache " + cache.file() + " (" + cache.origin() + "): it is a directory";
        } else {
            CredentialCacheFile contents;
            try {
                contents = CredentialCacheFile.read(cache.file());
            } catch (IOException | RuntimeException e) {
                throw new KerberosException(cannotRead(cache, e));
            }
            var tgt = contents.ticketGrantingTicket();
            if (tgt.isEmpty()) {
                problem = "no Kerberos ticket: " + cache.file() + " (" + cache.origin() + ") holds no ticket-granting ticket; run kinit";
            } else if (!tgt.get().end().isAfter(clock.instant())) {
                problem = "the Kerberos ticket of " + contents.principal() + " in " + cache.file() + " expired at "
                        + tgt.get().end().truncatedTo(ChronoUnit.SECONDS) + "; run kinit";
            } else {
                return new Found(contents.principal(), tgt.get().end(), cache.file() + " (" + cache.origin() + ")", cache, null);
            }
        }
        // MIT's rule: without a usable ticket in the cache, a client keytab may get one.
        String keytab = keytabName();
        if (keytab == null) {
            throw new KerberosException(problem);
        }
        Path file = Path.of(keytab);
        try {
            String principal = KeytabFile.firstPrincipal(file);
            return new Found(principal, null, file + " (KRB5_CLIENT_KTNAME)", cache, file);
        } catch (IOException e) {
            throw new KerberosException(problem + "; and the keytab " + file + " (KRB5_CLIENT_KTNAME) is not readable: "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        }
    }

    private String keytabName() {
        String name = environment.apply("KRB5_CLIENT_KTNAME");
        if (name == null || name.isBlank()) {
            return null;
        }
        return name.regionMatches(true, 0, "FILE:", 0, 5) ? name.substring(5) : name;
    }

    /** Windows: the logon session's credentials through the SSPI bridge. */
    private static KerberosIdentity sspi() throws KerberosException {
        try {
            GSSCredential credential = GSSManager.getInstance().createCredential(GSSCredential.INITIATE_ONLY);
            int remaining = credential.getRemainingLifetime();
            Instant expires = remaining == GSSCredential.INDEFINITE_LIFETIME ? null : Instant.now().plusSeconds(remaining);
            return new KerberosIdentity(credential.getName().toString(), expires, "Windows logon session (SSPI)", new Subject());
        } catch (GSSException e) {
            throw new KerberosException("no Kerberos credentials from the Windows logon session (SSPI): " + KerberosErrors.explain(e)
                    + "; log on with a domain account");
        }
    }

    private static String currentUid() {
        try {
            return Long.toString(new UnixSystem().getUid());
        } catch (Throwable e) { // not a Unix (the Windows path never needs it) or no native support
            return "0";
        }
    }

    /** A JAAS configuration with only the JDK's Kerberos login module: no jaas.conf file for users to write. */
    private static final class SingleModule extends Configuration {
        private final Map<String, String> options;

        SingleModule(Map<String, String> options) {
            this.options = options;
        }

        @Override
        public AppConfigurationEntry[] getAppConfigurationEntry(String name) {
            return new AppConfigurationEntry[] {new AppConfigurationEntry("com.sun.security.auth.module.Krb5LoginModule",
                    AppConfigurationEntry.LoginModuleControlFlag.REQUIRED, options)};
        }
    }
}
