package dbtool.toolkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.SQLException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FailureCauseTest {

    enum Cause implements FailureCause.Kind {
        REFUSED, OTHER;

        private static final Map<Cause, FailureCause> TABLE = FailureCause.table(Cause.class, """
                REFUSED   X_CONNECTION_REFUSED   network   nothing accepted the connection
                OTHER     X_CONNECT_FAILED       connect   the connection failed
                """);

        @Override
        public FailureCause cause() {
            return TABLE.get(this);
        }
    }

    enum Two {
        A, B
    }

    @Test
    void aTableDescribesEveryConstant() {
        assertEquals("X_CONNECTION_REFUSED", Cause.REFUSED.code());
        assertEquals("network", Cause.REFUSED.stage());
        assertEquals("nothing accepted the connection", Cause.REFUSED.meaning());
    }

    @Test
    void aTableThatMissesOrRepeatsAConstantIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> FailureCause.table(Two.class, "A  CODE  stage  meaning"));
        assertThrows(IllegalArgumentException.class, () -> FailureCause.table(Two.class, """
                A  CODE  stage  meaning
                A  CODE  stage  meaning
                B  CODE  stage  meaning
                """));
        assertThrows(IllegalArgumentException.class, () -> FailureCause.table(Two.class, "A CODE stage meaning\nB  C  s  m"));
    }

    @Test
    void networkFailuresAreToldApartByTheirRootCause() {
        assertTrue(FailureCause.unknownHost(new SQLException("x", new UnknownHostException("db"))));
        assertTrue(FailureCause.timedOut(new SQLException("x", new SocketTimeoutException())));
        assertTrue(FailureCause.timedOut(new SQLException("Connect timed out")));
        assertTrue(FailureCause.refused(new SQLException("x", new ConnectException("refused"))));
        assertFalse(FailureCause.refused(new SQLException("password authentication failed")));
        assertEquals("a b", FailureCause.describe(new SQLException("a\n   b")));
        assertEquals("SQLException", FailureCause.describe(new SQLException()));
    }
}
