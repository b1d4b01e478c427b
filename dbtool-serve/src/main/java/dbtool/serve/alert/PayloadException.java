package dbtool.serve.alert;

/**
 * A payload that is not a webhook payload dbtool reads: one line naming the field ({@code alerts[2].labels}),
 * answered with 400 over HTTP and exit 64 on the command line. Never carries a stack trace.
 */
public final class PayloadException extends RuntimeException {

    public PayloadException(String message) {
        super(message, null, false, false);
    }
}
