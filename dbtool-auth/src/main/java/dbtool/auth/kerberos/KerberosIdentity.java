package dbtool.auth.kerberos;

import java.time.Instant;
import javax.security.auth.Subject;

/**
 * Who dbtool is in Kerberos for this command.
 *
 * @param principal e.g. {@code alice@EXAMPLE.COM}
 * @param expires   when the ticket-granting ticket ends; null when unknown (SSPI, keytab)
 * @param source    where it came from, for humans: a cache path and how it was found, a keytab, SSPI
 * @param subject   the JAAS Subject holding the ticket (empty for SSPI); JGSS calls run inside it
 */
public record KerberosIdentity(String principal, Instant expires, String source, Subject subject) {

    /** The principal without realm and instance: {@code alice@EXAMPLE.COM} gives {@code alice}. */
    public String shortName() {
        String name = principal.contains("@") ? principal.substring(0, principal.lastIndexOf('@')) : principal;
        return name.contains("/") ? name.substring(0, name.indexOf('/')) : name;
    }

    /** Principal, expiry and source only: the Subject's own toString would show ticket material. */
    @Override
    public String toString() {
        return "KerberosIdentity[principal=" + principal + ", expires=" + expires + ", source=" + source + "]";
    }
}
