package dbtool.toolkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ReadBackTest {

    @Test
    void readsUntilTheValueHasSettled() throws SQLException {
        AtomicInteger reads = new AtomicInteger();
        assertEquals(3, ReadBack.until(Duration.ofMinutes(1), reads::incrementAndGet, n -> n == 3));
        assertEquals(3, reads.get());
    }

    @Test
    void withoutTimeLeftTheFirstReadIsTheAnswerSettledOrNot() throws SQLException {
        AtomicInteger reads = new AtomicInteger();
        assertEquals(1, ReadBack.until(Duration.ofNanos(-1), reads::incrementAndGet, n -> false));
        assertEquals(1, reads.get());
    }

    @Test
    void aFailedReadIsThrown() {
        SQLException failure = new SQLException("gone", "08006");
        assertSame(failure, assertThrows(SQLException.class, () -> ReadBack.until(Duration.ofMinutes(1), () -> {
            throw failure;
        }, n -> true)));
    }
}
