package dbtool.auth.kerberos;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.Function;

/**
 * Where the user's ticket cache is, the way MIT Kerberos finds it: {@code KRB5CCNAME} with its
 * type prefix, else krb5.conf's {@code default_ccache_name} ({@link Krb5Conf}), else
 * {@code /tmp/krb5cc_<uid>}.
 *
 * @param name   the cache as named, e.g. {@code FILE:/tmp/krb5cc_1000} or {@code KEYRING:persistent:1000}
 * @param file   the file the JDK can read; null when the type is not a file (KEYRING:, KCM:, API:, MEMORY:)
 * @param origin how it was found: {@code KRB5CCNAME}, {@code default_ccache_name in FILE} or {@code default}
 */
public record TicketCache(String name, Path file, String origin) {

    /** The fix for every cache type the JDK cannot read. */
    static final String FILE_CACHE_FIX = "KRB5CCNAME=FILE:/tmp/krb5cc_$(id -u) kinit";

    /** Finds the cache from the environment and the user's numeric id. */
    public static TicketCache locate(Function<String, String> environment, String uid) throws IOException {
        String name = environment.apply("KRB5CCNAME");
        String origin = "KRB5CCNAME";
        if (name == null || name.isBlank()) {
            // RHEL/Fedora set default_ccache_name = KEYRING:persistent:%{uid} (or KCM:) in krb5.conf.
            var configured = Krb5Conf.defaultCcacheName(environment, uid);
            if (configured.isEmpty() || configured.get().value().isBlank()) {
                String path = "/tmp/krb5cc_" + uid;
                return new TicketCache("FILE:" + path, Path.of(path), "default");
            }
            name = configured.get().value();
            origin = "default_ccache_name in " + configured.get().file();
        }
        name = name.trim();
        int colon = name.indexOf(':');
        // A bare path, or a Windows drive letter, has no type prefix.
        String type = colon > 1 ? name.substring(0, colon).toUpperCase(Locale.ROOT) : "FILE";
        String residual = colon > 1 ? name.substring(colon + 1) : name;
        return switch (type) {
            case "FILE" -> new TicketCache(name, Path.of(residual), origin);
            case "DIR" -> new TicketCache(name, directoryPrimary(residual), origin);
            default -> new TicketCache(name, null, origin);
        };
    }

    /**
     * {@code DIR:/dir} means the file named in {@code /dir/primary} (default {@code tkt});
     * {@code DIR::/dir/tktXYZ} names the file itself.
     */
    private static Path directoryPrimary(String residual) throws IOException {
        if (residual.startsWith(":")) {
            return Path.of(residual.substring(1));
        }
        Path directory = Path.of(residual);
        Path primary = directory.resolve("primary");
        String file = Files.isReadable(primary) ? Files.readString(primary).trim() : "";
        return directory.resolve(file.isEmpty() ? "tkt" : file);
    }

    /** Whether Java can read it at all. */
    public boolean readable() {
        return file != null;
    }

    /** For messages: the name and how it was found. */
    public String describe() {
        return name + " (" + origin + ")";
    }

    /** One line: why Java cannot use this cache, and the fix. */
    public String unreadableMessage() {
        String type = name.substring(0, name.indexOf(':')).toUpperCase(Locale.ROOT);
        String why = switch (type) {
            case "KEYRING" -> "is in the kernel keyring, which Java cannot read";
            case "KCM" -> "is held by the KCM daemon (sssd-kcm), which Java cannot read";
            case "API" -> "is in the credential API of macOS/Windows, which Java cannot read";
            case "MEMORY", "MSLSA" -> "lives in another process's memory";
            default -> "has a type (" + type + ":) Java cannot read";
        };
        return "the Kerberos ticket cache " + describe() + " " + why + "; get a ticket in a file cache: "
                + FILE_CACHE_FIX;
    }
}
