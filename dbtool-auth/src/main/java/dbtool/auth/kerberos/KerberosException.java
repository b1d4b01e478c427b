package dbtool.auth.kerberos;

/** A Kerberos problem the user can fix, as one line naming the fix; never holds a secret. */
public final class KerberosException extends Exception {

    public KerberosException(String message) {
        super(message, null, false, false);
    }
}
