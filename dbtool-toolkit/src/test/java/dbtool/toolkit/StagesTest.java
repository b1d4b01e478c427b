package dbtool.toolkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StagesTest {

    private static final Stages.Stage STARTUP = new Stages.Stage("login", "logged in",
            "the server did not answer the startup message", "the server process is hung or overloaded");

    @Test
    void aStageUnderWaySaysTheLastReachedAndTheSilentOne() throws Exception {
        Stages stages = new Stages();
        assertEquals(Optional.empty(), stages.progress());
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            InetAddress address = stages.resolve("localhost");
            stages.connect(address, server.getLocalPort(), 2000);
        }
        stages.begin(STARTUP);
        String progress = stages.progress().orElseThrow();
        assertTrue(progress.matches("TCP connected in \\d+ ms; the server did not answer the startup message in \\d+ ms: "
                + "the server process is hung or overloaded"), progress);
        stages.done("authenticated as monitor");
        assertEquals(Optional.empty(), stages.progress());
        assertEquals(3, stages.list().size());
        assertEquals("login", stages.list().get(2).get("stage"));
        assertEquals("connected", stages.list().get(1).get("result"));
    }

    @Test
    void aFailedStageIsRecordedAndEndsTheStageUnderWay() {
        Stages stages = new Stages();
        long start = stages.begin(Stages.TLS);
        stages.add("tls", start, "failed: PKIX path building failed");
        assertEquals(Optional.empty(), stages.progress());
        assertEquals("failed: PKIX path building failed", stages.list().getFirst().get("result"));
    }
}
