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
 * are kept on disk (queues file + H2), so queued work survives a restart of local mode.
 */
public final class ElasticMqEmulator implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ElasticMqEmulator.class);

    /** ElasticMQ writes to H2 asynchronously; a graceful stop gives those writes this long to land. */
    private static final java.time.Duration PERSIST_DRAIN = java.time.Duration.ofSeconds(1);

    private final Function0<?> stop;
    private final int port;
    private final boolean persistent;

    private ElasticMqEmulator(Function0<?> stop, int port, boolean persistent) {
        this.stop = stop;
        this.port = port;
        this.persistent = persistent;
    }

    public static ElasticMqEmulator start(int port, Path dataDir) throws IOException {
        StringBuilder conf = new StringBuilder()
                .append("rest-sqs { enabled = true, bind-port = ").append(port)
                .append(", bind-hostname = \"127.0.0.1\", sqs-limits = strict }\n")
                .append("node-address { protocol = \"http\", host = \"127.0.0.1\", port = ").append(port)
                .append(", context-path = \"\" }\n")
                .append("generate-node-address = false\n")
                .append("aws { region = \"us-east-1\", accountId = \"000000000000\" }\n");
        if (dataDir != null) {
            Files.createDirectories(dataDir);
            String dir = dataDir.toAbsolutePath().toString().replace("\\", "/");
            conf.append("queues-storage { enabled = true, path = \"").append(dir).append("/queues.conf\" }\n")
                    .append("messages-storage { enabled = true, uri = \"jdbc:h2:").append(dir)
                    .append("/messages\" }\n");
        }
        ElasticMQServerConfig config = new ElasticMQServerConfig(
                ConfigFactory.parseString(conf.toString()).withFallback(ConfigFactory.load()));
        Function0<?> stop = new ElasticMQServer(config).start();
        LOG.infof("SQS emulator (ElasticMQ) on http://127.0.0.1:%d%s", port,
                dataDir == null ? " (in memory)" : " (data in " + dataDir + ")");
        return new ElasticMqEmulator(stop, port, dataDir != null);
    }

    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    @Override
    public void close() {
        if (persistent) {
            LockSupportSleep.pause(PERSIST_DRAIN);
        }
        stop.apply();
    }
}
