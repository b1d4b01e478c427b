package dbtool.testkit.kdc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kerby.KOptions;
import org.apache.kerby.kerberos.kerb.KrbException;
import org.apache.kerby.kerberos.kerb.client.KrbClient;
import org.apache.kerby.kerberos.kerb.client.KrbOption;
import org.apache.kerby.kerberos.kerb.server.KdcConfigKey;
import org.apache.kerby.kerberos.kerb.server.SimpleKdcServer;
import org.apache.kerby.kerberos.kerb.type.ticket.TgtTicket;

/**
 * Apache Kerby's KDC in this JVM, on a free loopback TCP port (no UDP), realm {@value #REALM},
 * with a user {@value #USER} and the service principals {@code HTTP/localhost} (Vault's SPNEGO
 * acceptor) and {@code postgres/localhost} (a PostgreSQL server's keytab). It writes a krb5.conf
 * with every DNS lookup off, keytabs, and FILE ticket caches as {@code kinit} would.
 *
 * <p>One KDC per JVM ({@link #shared()}): the JDK reads its Kerberos configuration once per
 * process and sets it as {@code java.security.krb5.conf} here, so a second KDC on another port
 * would be invisible to in-process clients and acceptors.
 */
public final class TestKdc {

    public static final String REALM = "EXAMPLE.COM";
    public static final String USER = "alice";
    public static final String HTTP_SERVICE = "HTTP/localhost";
    public static final String POSTGRES_SERVICE = "postgres/localhost";

    private static TestKdc shared;

    private final SimpleKdcServer kdc;
    private final Path directory;
    private final int port;
    private final Map<String, String> passwords = new ConcurrentHashMap<>();

    private TestKdc(Path directory) throws Exception {
        this.directory = directory;
        this.port = freePort();
        kdc = new SimpleKdcServer();
        kdc.setWorkDir(directory.toFile());
        kdc.setKdcRealm(REALM);
        kdc.setKdcHost("127.0.0.1");
        kdc.setAllowUdp(false);
        kdc.setAllowTcp(true);
        kdc.setKdcTcpPort(port);
        // Lets expiredTicket() ask for a ticket of two seconds (Kerby refuses less than five minutes by default).
        kdc.getKdcConfig().setString(KdcConfigKey.MINIMUM_TICKET_LIFETIME, "0");
        kdc.init();
        kdc.start();
        for (String principal : new String[] {USER, HTTP_SERVICE, POSTGRES_SERVICE}) {
            String password = "Krb-" + UUID.randomUUID();
            kdc.createPrincipal(principal + "@" + REALM, password);
            passwords.put(principal, password);
            kdc.exportPrincipal(principal + "@" + REALM, keytab(principal).toFile());
        }
        Files.writeString(krb5Conf(), """
                # written by dbtool's TestKdc: a KDC on loopback TCP, nothing looked up in DNS
                [libdefaults]
                  default_realm = %1$s
                  dns_lookup_kdc = false
                  dns_lookup_realm = false
                  dns_canonicalize_hostname = false
                  rdns = false
                  udp_preference_limit = 1
                  forwardable = true

                [realms]
                  %1$s = {
                    kdc = 127.0.0.1:%2$d
                  }

                [domain_realm]
                  localhost = %1$s
                  .localhost = %1$s
                """.formatted(REALM, port), StandardCharsets.UTF_8);
    }

    /**
     * The JVM's KDC, started on first use (about a second) and stopped when the JVM exits. Sets
     * {@code java.security.krb5.conf} for in-process Kerberos (the Vault test server's acceptor).
     */
    public static synchronized TestKdc shared() {
        if (shared == null) {
            try {
                Path directory = Files.createTempDirectory("dbtool-kdc-");
                shared = new TestKdc(directory);
                System.setProperty("java.security.krb5.conf", shared.krb5Conf().toString());
                TestKdc kdc = shared;
                Runtime.getRuntime().addShutdownHook(new Thread(kdc::stop));
            } catch (Exception e) {
                throw new IllegalStateException("could not start the test KDC: " + e, e);
            }
        }
        return shared;
    }

    public int port() {
        return port;
    }

    /** The generated krb5.conf (for KRB5_CONFIG). */
    public Path krb5Conf() {
        return directory.resolve("krb5.conf");
    }

    /** A principal's keytab, e.g. {@code keytab("postgres/localhost")}. */
    public Path keytab(String principal) {
        return directory.resolve(principal.replace('/', '_') + ".keytab");
    }

    /** A principal's password (test data, never a real secret). */
    public String password(String principal) {
        return passwords.get(principal);
    }

    /** {@code kinit USER} with the password: the TGT stored as a FILE credential cache at {@code ccache}. */
    public Path kinit(String principal, Path ccache) {
        try {
            KrbClient client = client();
            TgtTicket tgt = client.requestTgt(principal + "@" + REALM, passwords.get(principal));
            Files.deleteIfExists(ccache);
            client.storeTicket(tgt, ccache.toFile());
            return ccache;
        } catch (KrbException | IOException e) {
            throw new IllegalStateException("kinit " + principal + " failed: " + e, e);
        }
    }

    /**
     * A FILE credential cache whose TGT has expired: issued for two seconds, returned once they
     * have passed (the way a cache looks the morning after a {@code kinit}).
     */
    public Path expiredTicket(String principal, Path ccache) {
        try {
            KrbClient client = client();
            KOptions options = new KOptions();
            options.add(KrbOption.USE_PASSWD, true);
            options.add(KrbOption.CLIENT_PRINCIPAL, principal + "@" + REALM);
            options.add(KrbOption.USER_PASSWD, passwords.get(principal));
            options.add(KrbOption.LIFE_TIME, 2);
            TgtTicket tgt = client.requestTgt(options);
            Files.deleteIfExists(ccache);
            client.storeTicket(tgt, ccache.toFile());
            long end = tgt.getEncKdcRepPart().getEndTime().getTime();
            while (System.currentTimeMillis() <= end + 10) {
                Thread.sleep(Math.max(10, end + 20 - System.currentTimeMillis()));
            }
            return ccache;
        } catch (KrbException | IOException e) {
            throw new IllegalStateException("kinit " + principal + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * While on, the KDC rejects every ticket request with KRB_AP_ERR_SKEW ("clock skew too
     * great"), exactly what a client whose clock is off by more than the allowed skew receives:
     * the KDC's allowed skew becomes negative, so no client time is close enough. Tickets already
     * in a cache keep working for what they were issued for.
     */
    public void skewClock(boolean on) {
        kdc.getKdcConfig().setString(KdcConfigKey.ALLOWABLE_CLOCKSKEW, on ? "-1" : "300");
    }

    private KrbClient client() throws KrbException {
        KrbClient client = new KrbClient();
        client.setKdcRealm(REALM);
        client.setKdcHost("127.0.0.1");
        client.setAllowUdp(false);
        client.setAllowTcp(true);
        client.setKdcTcpPort(port);
        client.setTimeout(10_000);
        client.init();
        return client;
    }

    private void stop() {
        try {
            kdc.stop();
        } catch (KrbException e) {
            // the JVM is exiting
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
