package dbtool.triage.send;

/** A delivery that did not go through: one line, never a URL that may be a secret, never a secret. */
public final class DeliveryException extends Exception {

    public DeliveryException(String message) {
        super(message, null, false, false);
    }
}
