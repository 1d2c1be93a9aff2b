package com.leadsync.bench;

import static org.awaitility.Awaitility.await;

import com.leadsync.local.ElasticMqEmulator;
import com.leadsync.testing.Emulators;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The SQS emulator (ElasticMQ, in memory) in a JVM of its own, so that what it holds (queued messages, and deleted
 * ones it keeps until their visibility timeout ends) is not on the heap of the JVM being measured. The child exits
 * when it is stopped or when its parent goes away (its stdin closes).
 */
final class ForkedSqs implements AutoCloseable {

    private final Process process;
    private final int port;

    private ForkedSqs(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    static ForkedSqs start() throws IOException {
        int port = Emulators.freePort();
        Path log = Path.of("target", "forked-sqs.log").toAbsolutePath();
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx768m", "-cp", System.getProperty("java.class.path"), ForkedSqs.class.getName(),
                Integer.toString(port));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        ForkedSqs sqs = new ForkedSqs(process, port);
        try {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
                if (!process.isAlive()) {
                    throw new IllegalStateException("the forked SQS emulator exited with " + process.exitValue()
                            + "; see " + log);
                }
                return sqs.listening();
            });
        } catch (RuntimeException e) {
            sqs.close();
            throw e;
        }
        return sqs;
    }

    String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    private boolean listening() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() {
        process.destroy();
    }

    /** The child: ElasticMQ on the port given, until stdin closes. */
    public static void main(String[] args) throws IOException {
        ElasticMqEmulator.start(Integer.parseInt(args[0]), null);
        while (System.in.read() != -1) {
            // nothing is sent; read returns -1 once the parent is gone
        }
        System.exit(0);
    }

    /** The test resources of {@link Emulators}, with SQS forked instead of in this JVM. */
    public static final class Resource implements QuarkusTestResourceLifecycleManager {
        private ForkedSqs sqs;

        @Override
        public Map<String, String> start() {
            Map<String, String> config = new HashMap<>(new Emulators().start());
            try {
                sqs = ForkedSqs.start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            config.put("quarkus.sqs.endpoint-override", sqs.endpoint());
            return config;
        }

        @Override
        public void stop() {
            if (sqs != null) {
                sqs.close();
            }
        }
    }
}
