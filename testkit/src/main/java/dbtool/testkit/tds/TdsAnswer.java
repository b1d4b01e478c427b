package dbtool.testkit.tds;

import java.time.Duration;
import java.util.List;

/** What the responder sends back for one SQL batch. */
public sealed interface TdsAnswer {

    /** One or more result sets, each followed by a DONE with its row count. */
    record Results(List<TdsResult> results) implements TdsAnswer {
    }

    /** An ERROR token and a DONE with the error bit, as SQL Server answers a failed statement. */
    record Failure(int number, int state, int severity, String message) implements TdsAnswer {
    }

    /**
     * An INFO message (severity 10 or less: a JDBC warning, not an error) before {@code then}, as
     * sp_configure reports "Configuration option ... changed from 5 to 50."; {@code then} is not a delay.
     */
    record Notice(int number, String message, TdsAnswer then) implements TdsAnswer {
    }

    /** A DONE with this many rows affected, as an INSERT, UPDATE or DELETE gets. */
    record Updated(int count) implements TdsAnswer {
    }

    /** A DONE without rows (what SET, USE or an empty batch gets). */
    record Done() implements TdsAnswer {
    }

    /**
     * A statement that takes this long before {@code then} is sent; an ATTENTION from the client
     * (a query timeout or {@code Statement.cancel()}) ends it early with a DONE whose attention bit
     * is set, and {@code then} is never sent.
     */
    record Delay(Duration duration, TdsAnswer then) implements TdsAnswer {
    }

    static TdsAnswer rows(TdsResult... results) {
        return new Results(List.of(results));
    }

    static TdsAnswer done() {
        return new Done();
    }

    /** 208, as SQL Server reports a table or view that does not exist. */
    static TdsAnswer invalidObject(String name) {
        return new Failure(208, 1, 16, "Invalid object name '" + name + "'.");
    }

    /** 1222: the statement waited longer than SET LOCK_TIMEOUT allows. */
    static TdsAnswer lockTimeout() {
        return new Failure(1222, 51, 16, "Lock request time out period exceeded.");
    }

    static TdsAnswer error(int number, int severity, String message) {
        return new Failure(number, 1, severity, message);
    }

    static TdsAnswer notice(int number, String message, TdsAnswer then) {
        return new Notice(number, message, then);
    }

    static TdsAnswer delay(Duration duration, TdsAnswer then) {
        return new Delay(duration, then);
    }
}
