package com.leadsync.local;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The DynamoDB emulator outlives a client that drops a request half sent, as DynamoDB does. */
class DynaliteEmulatorTest {

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void a_request_dropped_half_sent_does_not_end_the_emulator() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        try (DynaliteEmulator dynalite = DynaliteEmulator.start(
                Path.of(System.getProperty("leadsync.tools.dir", "target/tools")), port, null)) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port));
                OutputStream out = s.getOutputStream();
                out.write(("POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-amz-json-1.0\r\n"
                        + "X-Amz-Target: DynamoDB_20120810.ListTables\r\nContent-Length: 1000\r\n\r\n{\"Li")
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
                s.setSoLinger(true, 0); // closed with a reset, as a client dropping a request does
            }
            int p = port;
            await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).until(() -> answers(p));
        }
    }

    private boolean answers(int port) throws InterruptedException {
        try {
            return !http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                            .header("Content-Type", "application/x-amz-json-1.0")
                            .header("X-Amz-Target", "DynamoDB_20120810.ListTables")
                            .POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                    HttpResponse.BodyHandlers.ofString()).body().isEmpty();
        } catch (IOException refused) {
            return false;
        }
    }
}
