package com.leadsync.local;

import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Starts the DynamoDB and SQS emulators before anything talks to them, unless the standard
 * {@code AWS_ENDPOINT_URL*} variables point the SDK elsewhere (a shared emulator, real AWS).
 */
@ApplicationScoped
public class LocalEmulators {

    private static final Logger LOG = Logger.getLogger(LocalEmulators.class);

    @ConfigProperty(name = "leadsync.local.start-emulators")
    boolean startEmulators;
    @ConfigProperty(name = "leadsync.local.dynamodb-port")
    int dynamoPort;
    @ConfigProperty(name = "leadsync.local.sqs-port")
    int sqsPort;
    @ConfigProperty(name = "leadsync.local.tools-dir")
    String toolsDir;
    @ConfigProperty(name = "leadsync.local.data-dir")
    Optional<String> dataDir;

    private DynaliteEmulator dynamo;
    private ElasticMqEmulator sqs;

    void start(@Observes @Priority(10) StartupEvent event) {
        if (!startEmulators) {
            return;
        }
        try {
            if (env("AWS_ENDPOINT_URL_DYNAMODB") || env("AWS_ENDPOINT_URL")) {
                LOG.info("AWS_ENDPOINT_URL(_DYNAMODB) is set: using that DynamoDB, not starting the emulator");
            } else {
                dynamo = DynaliteEmulator.start(Path.of(toolsDir), dynamoPort, dataPath("dynamodb"));
            }
            if (env("AWS_ENDPOINT_URL_SQS") || env("AWS_ENDPOINT_URL")) {
                LOG.info("AWS_ENDPOINT_URL(_SQS) is set: using that SQS, not starting the emulator");
            } else {
                sqs = ElasticMqEmulator.start(sqsPort, dataPath("sqs"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("local mode could not start its emulators", e);
        }
    }

    private Path dataPath(String sub) {
        return dataDir.filter(d -> !d.isBlank()).map(d -> Path.of(d, sub)).orElse(null);
    }

    private static boolean env(String name) {
        String v = System.getenv(name);
        return v != null && !v.isBlank();
    }

    /** Last at shutdown: the pumps and schedules (default priority) stop using the emulators first. */
    void stop(@Observes @Priority(10_000) io.quarkus.runtime.ShutdownEvent event) {
        if (sqs != null) {
            sqs.close();
        }
        if (dynamo != null) {
            dynamo.close();
        }
    }
}
