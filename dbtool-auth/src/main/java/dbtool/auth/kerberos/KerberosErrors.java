package dbtool.auth.kerberos;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One line for a Kerberos failure from the JDK (GSSException, LoginException, KrbException
 * chains), naming the fix for the failures users meet: clock skew (KRB_AP_ERR_SKEW), no ticket,
 * an unknown service principal, an unreachable KDC. The JDK's messages hold no secrets.
 */
public final class KerberosErrors {

    /** The fix for a clock that is off, on Linux and Windows. */
    public static final String SKEW = "clock skew too great (KRB_AP_ERR_SKEW): this machine's clock and the KDC's differ by more"
            + " than the allowed skew (5 minutes by default); synchronise the clock (chronyc makestep, or w32tm /resync on Windows)";

    private KerberosErrors() {
    }

    /** Whether a failure anywhere in the chain is a clock skew. */
    public static boolean isClockSkew(Throwable failure) {
        return messages(failure).stream().anyMatch(m -> m.toLowerCase(Locale.ROOT).contains("clock skew"));
    }

    public static String explain(Throwable failure) {
        List<String> messages = messages(failure);
        String all = String.join(" | ", messages).toLowerCase(Locale.ROOT);
        if (isClockSkew(failure)) {
            return SKEW;
        }
        if (all.contains("server not found in kerberos database")) {
            return "the KDC does not know the service's principal (KDC_ERR_S_PRINCIPAL_UNKNOWN): connect by the host name"
                    + " in the service principal (for example localhost or the server's FQDN, not an IP address)";
        }
        if (all.contains("failed to find any kerberos tgt") || all.contains("unable to obtain password")
                || all.contains("no valid credentials provided")) {
            return "no valid Kerberos ticket (run kinit)";
        }
        if (all.contains("cannot locate kdc") || all.contains("connection refused") || all.contains("receive timed out")
                || all.contains("cannot get kdc")) {
            return "the KDC is unreachable (check the realm's kdc in krb5.conf, or KRB5_CONFIG)";
        }
        if (all.contains("preauthentication failed")) {
            return "the KDC rejected the key (KDC_ERR_PREAUTH_FAILED): the keytab is out of date or the password wrong";
        }
        return messages.isEmpty() ? failure.getClass().getSimpleName() : messages.getLast();
    }

    private static List<String> messages(Throwable failure) {
        List<String> messages = new ArrayList<>();
        for (Throwable t = failure; t != null && messages.size() < 10; t = t.getCause() == t ? null : t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                messages.add(t.getMessage().replaceAll("\\s+", " ").trim());
            }
        }
        return messages;
    }
}
