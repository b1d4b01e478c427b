package dbtool.plugin.mongo;

import dbtool.spi.Target;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What dbtool itself needs to know of a {@code mongodb://} or {@code mongodb+srv://} URL before the
 * driver sees it: the seed hosts (for the DNS and TCP stages), TLS options the Java driver does
 * not read ({@code tlsCAFile}, {@code tlsCertificateKeyFile}), and the password, so that it can be
 * scrubbed from every message. The driver's {@code ConnectionString} stays the authority on
 * everything else; it is not used here because for {@code mongodb+srv} it looks up DNS.
 *
 * @param srv      whether the scheme is {@code mongodb+srv}
 * @param hosts    seed hosts as {@code host:port} (for SRV the one host name, without port)
 * @param user     the user of the user-info, or null
 * @param password the password of the user-info (decoded), or null
 * @param database the database of the path, may be empty
 * @param options  query options with lower-case keys
 */
public record MongoUrl(boolean srv, List<String> hosts, String user, String password, String database,
                       Map<String, String> options) {

    public static final int DEFAULT_PORT = 27017;

    public MongoUrl {
        hosts = List.copyOf(hosts);
        options = Collections.unmodifiableMap(new LinkedHashMap<>(options));
    }

    /** Parses the URL; the exception's message never contains the URL (it may carry a password). */
    public static MongoUrl parse(String url) {
        String lower = url.toLowerCase(Locale.ROOT);
        boolean srv = lower.startsWith("mongodb+srv://");
        if (!srv && !lower.startsWith("mongodb://")) {
            throw new IllegalArgumentException("a MongoDB URL starts with mongodb:// or mongodb+srv://");
        }
        String rest = url.substring(url.indexOf("://") + 3);
        int pathStart = indexOfAny(rest, "/?");
        String authority = rest.substring(0, pathStart);
        String tail = rest.substring(pathStart);
        String user = null;
        String password = null;
        int at = authority.lastIndexOf('@');
        if (at >= 0) {
            String userInfo = authority.substring(0, at);
            authority = authority.substring(at + 1);
            int colon = userInfo.indexOf(':');
            user = Target.percentDecode(colon >= 0 ? userInfo.substring(0, colon) : userInfo);
            password = colon >= 0 ? Target.percentDecode(userInfo.substring(colon + 1)) : null;
        }
        if (authority.isBlank()) {
            throw new IllegalArgumentException("the MongoDB URL names no host");
        }
        List<String> hosts = new ArrayList<>();
        for (String host : authority.split(",")) {
            if (host.isBlank()) {
                throw new IllegalArgumentException("the MongoDB URL has an empty host in its host list");
            }
            hosts.add(srv || hasPort(host) ? host : host + ":" + DEFAULT_PORT);
        }
        if (srv && hosts.size() != 1) {
            throw new IllegalArgumentException("a mongodb+srv URL names exactly one host, without a port");
        }
        String database = "";
        String query = "";
        int question = tail.indexOf('?');
        String path = question >= 0 ? tail.substring(0, question) : tail;
        if (question >= 0) {
            query = tail.substring(question + 1);
        }
        if (path.length() > 1) {
            database = Target.percentDecode(path.substring(1));
        }
        Map<String, String> options = new LinkedHashMap<>();
        for (String pair : query.split("[&;]")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                options.put(Target.percentDecode(pair.substring(0, eq)).toLowerCase(Locale.ROOT), Target.percentDecode(pair.substring(eq + 1)));
            }
        }
        return new MongoUrl(srv, hosts, user, password, database, options);
    }

    /** An option by its case-insensitive name, or null. */
    public String option(String name) {
        return options.get(name.toLowerCase(Locale.ROOT));
    }

    /** TLS is on when asked for, and by default for mongodb+srv (as the driver does). */
    public boolean tls() {
        String tls = option("tls") != null ? option("tls") : option("ssl");
        return tls != null ? Boolean.parseBoolean(tls) : srv;
    }

    /** Host name part of {@code host:port} (IPv6 literals keep their brackets off). */
    public static String hostOf(String hostAndPort) {
        if (hostAndPort.startsWith("[")) {
            int end = hostAndPort.indexOf(']');
            return hostAndPort.substring(1, end);
        }
        int colon = hostAndPort.lastIndexOf(':');
        return colon >= 0 ? hostAndPort.substring(0, colon) : hostAndPort;
    }

    public static int portOf(String hostAndPort) {
        int colon = hostAndPort.lastIndexOf(':');
        if (colon < 0 || hostAndPort.endsWith("]")) {
            return DEFAULT_PORT;
        }
        try {
            return Integer.parseInt(hostAndPort.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("the MongoDB URL has an invalid port in '" + hostAndPort + "'");
        }
    }

    private static boolean hasPort(String host) {
        return host.startsWith("[") ? host.contains("]:") : host.contains(":");
    }

    private static int indexOfAny(String text, String characters) {
        for (int i = 0; i < text.length(); i++) {
            if (characters.indexOf(text.charAt(i)) >= 0) {
                return i;
            }
        }
        return text.length();
    }

    /** Never shows the password. */
    @Override
    public String toString() {
        return "MongoUrl[srv=" + srv + ", hosts=" + hosts + ", user=" + user + ", database=" + database + "]";
    }
}
