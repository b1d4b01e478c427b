package dbtool.plugin.mongo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mongodb.AuthenticationMechanism;
import com.mongodb.MongoCredential;
import dbtool.spi.Credentials;
import java.util.List;
import javax.security.auth.Subject;
import org.junit.jupiter.api.Test;

/** URL parsing and the choice of credential and mechanism. */
class MongoUrlAndCredentialTest {

    @Test
    void seedListUserAndOptions() {
        MongoUrl url = MongoUrl.parse("mongodb://app:p%40ss%3Aw0rd@db1.example.net,db2.example.net:27018,[::1]/orders?replicaSet=rs0&authSource=admin");

        assertEquals(List.of("db1.example.net:27017", "db2.example.net:27018", "[::1]:27017"), url.hosts());
        assertEquals("app", url.user());
        assertEquals("p@ss:w0rd", url.password());
        assertEquals("orders", url.database());
        assertEquals("rs0", url.option("replicaset"));
        assertFalse(url.tls());
        assertEquals("::1", MongoUrl.hostOf("[::1]:27017"));
        assertFalse(url.toString().contains("w0rd"));
    }

    @Test
    void srvUrlsHaveOneHostAndTlsByDefault() {
        MongoUrl url = MongoUrl.parse("mongodb+srv://cluster0.example.net/");

        assertTrue(url.srv());
        assertTrue(url.tls());
        assertEquals(List.of("cluster0.example.net"), url.hosts());
        IllegalArgumentException twoHosts = assertThrows(IllegalArgumentException.class,
                () -> MongoUrl.parse("mongodb+srv://u:Secret-99@a.example.net,b.example.net/"));
        assertFalse(twoHosts.getMessage().contains("Secret-99"));
    }

    @Test
    void kerberosTicketFromDbtoolMeansGssapiWithThatSubject() {
        Subject subject = new Subject();
        MongoUrl url = MongoUrl.parse("mongodb://db.example.net/?authMechanismProperties=SERVICE_NAME:mongo");

        MongoCredential credential = MongoPlugin.credential(url, url.options(), Credentials.kerberos("ops@EXAMPLE.NET", subject, "kerberos"));

        assertEquals(AuthenticationMechanism.GSSAPI, credential.getAuthenticationMechanism());
        assertEquals("ops@EXAMPLE.NET", credential.getUserName());
        assertSame(subject, credential.getMechanismProperty(MongoCredential.JAVA_SUBJECT_KEY, null));
        assertEquals("mongo", credential.getMechanismProperty(MongoCredential.SERVICE_NAME_KEY, null));
    }

    @Test
    void passwordFromDbtoolUsesTheUrlsAuthSourceAndMechanism() {
        MongoUrl url = MongoUrl.parse("mongodb://db.example.net/orders?authSource=users&authMechanism=SCRAM-SHA-256");
        char[] secret = "from-vault".toCharArray();
        Credentials credentials = Credentials.password("reader", secret, "vault");

        MongoCredential credential = MongoPlugin.credential(url, url.options(), credentials);
        credentials.close();

        assertEquals(AuthenticationMechanism.SCRAM_SHA_256, credential.getAuthenticationMechanism());
        assertEquals("users", credential.getSource());
        assertEquals("from-vault", new String(credential.getPassword()), "a copy survives the credentials being wiped");
    }

    @Test
    void x509TakesTheUserFromTheCertificate() {
        MongoUrl url = MongoUrl.parse("mongodb://db.example.net/?authMechanism=MONGODB-X509&tls=true&tlsCertificateKeyFile=/etc/dbtool/client.pem");

        MongoCredential credential = MongoPlugin.credential(url, url.options(), Credentials.none());

        assertEquals(AuthenticationMechanism.MONGODB_X509, credential.getAuthenticationMechanism());
        assertNull(credential.getUserName());
        assertNull(MongoPlugin.credential(MongoUrl.parse("mongodb://u:p@h/"), java.util.Map.of(), Credentials.none()),
                "the URL's own credential is left to the driver");
    }

    @Test
    void secretsAreScrubbedIncludingTheirPieces() {
        Secrets secrets = new Secrets().add("p@ss:w0rd");

        assertEquals("bad host '****@db'", secrets.scrub("bad host 'w0rd@db'"));
        assertEquals("mongodb://app:****@h/", secrets.scrub("mongodb://app:anything@h/"));
    }
}
