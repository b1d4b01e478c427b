package dbtool.plugin.postgres.tls;

import java.io.IOException;
import java.net.Socket;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSocket;
import org.postgresql.ssl.LibPQFactory;
import org.postgresql.util.PSQLException;

/**
 * pgjdbc's own TLS socket factory (same sslmode semantics, same certificate checks) that also
 * remembers the server's certificate, so the connectivity check can report its expiry without a
 * second connection. A separate TLS probe would leave "incomplete startup packet" in the server
 * log on every run.
 *
 * <p>pgjdbc creates it by class name ({@code sslfactory}); the session finds the certificate again
 * under the id it put into the connection properties.
 */
public final class CertificateRecordingFactory extends LibPQFactory {

    /** Connection property that names where to record the certificate. */
    public static final String ID_PROPERTY = "dbtoolCertificateId";

    private static final Map<String, X509Certificate> RECORDED = new ConcurrentHashMap<>();

    private final String id;

    public CertificateRecordingFactory(Properties info) throws PSQLException {
        super(info);
        this.id = info.getProperty(ID_PROPERTY);
    }

    @Override
    public Socket createSocket(Socket socket, String host, int port, boolean autoClose) throws IOException {
        Socket created = super.createSocket(socket, host, port, autoClose);
        if (id != null && created instanceof SSLSocket tls) {
            tls.addHandshakeCompletedListener(event -> {
                try {
                    Certificate[] chain = event.getPeerCertificates();
                    if (chain.length > 0 && chain[0] instanceof X509Certificate certificate) {
                        RECORDED.put(id, certificate);
                    }
                } catch (SSLPeerUnverifiedException e) {
                    // no certificate to report
                }
            });
        }
        return created;
    }

    /** The certificate recorded under this id, removed from the registry. */
    public static Optional<X509Certificate> take(String id) {
        return Optional.ofNullable(RECORDED.remove(id));
    }
}
