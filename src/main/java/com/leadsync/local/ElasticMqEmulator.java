package com.leadsync.local;

import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.elasticmq.server.ElasticMQServer;
import org.elasticmq.server.config.ElasticMQServerConfig;
import org.jboss.logging.Logger;
import scala.Function0;

/**
 * The SQS emulator (ElasticMQ) inside this JVM, bound to loopback. With a data dir, queues and messages
 * are kept on disk (queues file + H2), so queued work survives a restart of local mode, a kill too.
 */
public final class ElasticMqEmulator implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ElasticMqEmulator.class);

    /**
     * ElasticMQ answers a send, receive or delete only once H2 has taken the change; H2 itself writes it to its
     * file up to {@code WRITE_DELAY} (500 ms) later. So with H2's defaults a local mode killed with SIGKILL lost what
     * SQS had acknowledged in its last half second — an import's next page, the leads of its last page — and a
     * job stalled. Written at once instead, an acknowledged message is in the file (the OS writes it out even if
     * the JVM dies); old versions are not kept either (RETENTION_TIME=0), else the file grows by a version per write.
     */
    static final String H2_DURABLE_ON_ANSWER = ";WRITE_DELAY=0;RETENTION_TIME=0";

    private final Function0<?> stop;
    private final int port;

    private ElasticMqEmulator(Function0<?> stop, int port) {
        this.stop = stop;
        this.port = port;
    }

    public static ElasticMqEmulator start(int port, Path dataDir) throws IOException {
        StringBuilder conf = new StringBuilder()
                .append("rest-sqs { enabled = true, bind-port = ").append(port)
                .append(", bind-hostname = \"127.0.0.1\", sqs-limits = strict }\n")
                .append("node-address { protocol = \"http\", host = \"127.0.0.1\", port = ").append(port)
                .append(", context-path = \"\" }\n")
                .append("generate-node-address = false\n")
                .append("aws { region = \"us-east-1\", accountId = \"000000000000\" }\n");
        boolean restoring = dataDir != null && Files.exists(dataDir.resolve("messages.mv.db"));
        if (dataDir != null) {
            Files.createDirectories(dataDir);
            String dir = dataDir.toAbsolutePath().toString().replace("\\", "/");
            conf.append("queues-storage { enabled = true, path = \"").append(dir).append("/queues.conf\" }\n")
                    .append("messages-storage { enabled = true, uri = \"jdbc:h2:").append(dir)
                    .append("/messages").append(H2_DURABLE_ON_ANSWER).append("\" }\n");
        }
        ElasticMQServerConfig config = new ElasticMQServerConfig(
                ConfigFactory.parseString(conf.toString()).withFallback(ConfigFactory.load()));
        Function0<?> stop = new ElasticMQServer(config).start();
        if (restoring) {
            awaitRestoredQueues(port);
        }
        LOG.infof("SQS emulator (ElasticMQ) on http://127.0.0.1:%d%s", port,
                dataDir == null ? " (in memory)" : " (data in " + dataDir + ")");
        return new ElasticMqEmulator(stop, port);
    }

    /**
     * ElasticMQ restores persisted queues (and their messages) asynchronously after it starts; wait for them,
     * so that nothing creates a queue or reads from one before its data is back.
     */
    private static void awaitRestoredQueues(int port) throws IOException {
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        java.net.http.HttpRequest listQueues = java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://127.0.0.1:" + port + "/"))
                .header("Content-Type", "application/x-amz-json-1.0")
                .header("X-Amz-Target", "AmazonSQS.ListQueues")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{}")).build();
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(5).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                String body = http.send(listQueues, java.net.http.HttpResponse.BodyHandlers.ofString()).body();
                if (body.contains("QueueUrls") && body.contains("http")) {
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while ElasticMQ restores its queues", e);
            }
            LockSupportSleep.pause(java.time.Duration.ofMillis(50));
        }
        LOG.warn("ElasticMQ restored no queues from its data dir within 5 s; continuing");
    }

    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    @Override
    public void close() {
        stop.apply();
    }
}
