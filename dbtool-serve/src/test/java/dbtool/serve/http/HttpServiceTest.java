package dbtool.serve.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dbtool.testkit.Poll;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every route gets from the server, whatever its handler does: auth, body cap, one-line errors, access log. */
class HttpServiceTest {

    private final List<String> accessLog = new CopyOnWriteArrayList<>();
    private final List<String> errors = new CopyOnWriteArrayList<>();
    private final HttpClient client = HttpClient.newHttpClient();
    private HttpService http;

    @BeforeEach
    void start() throws Exception {
        http = new HttpService(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), null,
                ServerAuth.of("s3cret-token", "alice:pa55"), accessLog::add, errors::add);
        http.add(List.of(
                Route.get("/open", Route.Access.PUBLIC, request -> Response.text(200, "hi\n")),
                Route.post("/api/echo", Route.Access.PROTECTED, request -> Response.json(200, request.json())),
                Route.get("/api/things/{name}", Route.Access.PROTECTED, request -> Response.text(200, request.pathParameter("name"))),
                Route.get("/boom", Route.Access.PUBLIC, request -> {
                    throw new IllegalStateException("password=hunter2 leaked by a bug");
                })));
        http.start();
    }

    @AfterEach
    void stop() {
        http.close();
    }

    private HttpResponse<String> send(HttpRequest.Builder builder) throws Exception {
        return client.send(builder.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder at(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http.address().getPort() + path));
    }

    @Test
    void protectedRoutesNeedTheTokenOrBasicAuthAndPublicOnesDoNot() throws Exception {
        assertEquals(200, send(at("/open")).statusCode());
        HttpResponse<String> anonymous = send(at("/api/things/orders"));
        assertEquals(401, anonymous.statusCode());
        assertFalse(anonymous.body().contains("s3cret"), anonymous.body());
        assertEquals(401, send(at("/api/things/orders").header("Authorization", "Bearer wrong")).statusCode());
        HttpResponse<String> bearer = send(at("/api/things/orders").header("Authorization", "Bearer s3cret-token"));
        assertEquals(200, bearer.statusCode());
        assertEquals("orders", bearer.body());
        assertEquals(200, send(at("/api/things/orders").header("Authorization", "Basic YWxpY2U6cGE1NQ==")).statusCode());
    }

    @Test
    void malformedJsonIsA400WithOneLineSayingWhere() throws Exception {
        HttpResponse<String> response = send(at("/api/echo").header("Authorization", "Bearer s3cret-token")
                .POST(HttpRequest.BodyPublishers.ofString("{\"alerts\": [1, 2")));
        assertEquals(400, response.statusCode());
        assertTrue(response.body().startsWith("{\"error\":\"malformed JSON: "), response.body());
        assertEquals(1, response.body().strip().lines().count(), response.body());
        HttpResponse<String> good = send(at("/api/echo").header("Authorization", "Bearer s3cret-token")
                .POST(HttpRequest.BodyPublishers.ofString("{\"a\":1}")));
        assertEquals("{\"a\":1}\n", good.body());
    }

    @Test
    void aBodyOverOneMebibyteIsRefusedWith413() throws Exception {
        byte[] big = new byte[HttpService.MAX_BODY + 1];
        HttpResponse<String> response = send(at("/api/echo").header("Authorization", "Bearer s3cret-token")
                .POST(HttpRequest.BodyPublishers.ofByteArray(big)));
        assertEquals(413, response.statusCode());
        assertTrue(response.body().contains("larger than 1 MiB"), response.body());
    }

    @Test
    void unknownPathsAndMethodsAndBugsAreOneLineErrorsWithoutInternals() throws Exception {
        assertEquals(404, send(at("/nope")).statusCode());
        assertEquals(405, send(at("/open").POST(HttpRequest.BodyPublishers.noBody())).statusCode());
        HttpResponse<String> bug = send(at("/boom"));
        assertEquals(500, bug.statusCode());
        assertFalse(bug.body().contains("hunter2"), bug.body());
        assertTrue(errors.getFirst().contains("IllegalStateException"), errors.toString());
    }

    @Test
    void eachRequestIsOneJsonAccessLogLineWithoutTheQuery() throws Exception {
        send(at("/open?token=abc"));
        // The line is written once the response has gone, so it may land just after the client has it.
        Poll.until(() -> !accessLog.isEmpty(), Duration.ofSeconds(5), "no access log line for the request");
        String line = accessLog.getLast();
        assertTrue(line.contains("\"method\":\"GET\"") && line.contains("\"path\":\"/open\"") && line.contains("\"status\":200"), line);
        assertFalse(line.contains("abc"), line);
    }

    @Test
    void aFullWorkQueueAnswers429InsteadOfGrowing() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (WorkQueue queue = new WorkQueue("test", 1, 1)) {
            queue.submit(() -> await(release)); // running
            queue.submit(() -> await(release)); // waiting
            HttpFailure full = assertThrows(HttpFailure.class, () -> queue.submit(() -> { }));
            assertEquals(429, full.status());
            release.countDown();
            assertTrue(queue.drain(5));
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
