package dbtool.logs.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The log's {@code $n} statements and parameters as the replay binds them. */
class PlaceholdersTest {

    @Test
    void placeholdersBecomeQuestionMarksInTheirOrderOutsideQuotesAndComments() {
        List<Integer> order = new ArrayList<>();
        String sql = "SELECT '$1', \"$2\", $$ $3 $$ /* $4 */, data ? 'k' FROM t WHERE a = $2 AND b = $1 AND c = $2 -- $9";
        assertEquals("SELECT '$1', \"$2\", $$ $3 $$ /* $4 */, data ?? 'k' FROM t WHERE a = ? AND b = ? AND c = ? -- $9",
                Placeholders.toJdbc(sql, order));
        assertEquals(List.of(2, 1, 2), order);
    }

    @Test
    void theParametersDetailIsReadWithQuotesAndNulls() {
        assertEquals(Arrays.asList("it's", null, "", "7"),
                SessionBuilder.parameters("parameters: $1 = 'it''s', $2 = NULL, $3 = '', $4 = '7'"));
        assertNull(SessionBuilder.parameters("Key (id)=(1) already exists."));
    }
}
