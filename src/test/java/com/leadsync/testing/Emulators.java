package com.leadsync.testing;

import com.leadsync.local.DynaliteEmulator;
import com.leadsync.local.ElasticMqEmulator;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;

/**
 * The real DynamoDB and SQS emulators for every @QuarkusTest, started once per test JVM on free loopback
 * ports (in memory), and the Graph/HubSpot fakes' URLs.
 */
public class Emulators implements QuarkusTestResourceLifecycleManager {

    private static DynaliteEmulator dynamo;
    private static ElasticMqEmulator sqs;

    public static synchronized void startOnce() {
        if (dynamo != null) {
            return;
        }
        try {
            Path tools = Path.of(System.getProperty("leadsync.tools.dir", "target/tools"));
            dynamo = DynaliteEmulator.start(tools, freePort(), null);
            sqs = ElasticMqEmulator.start(freePort(), null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String dynamoEndpoint() {
        startOnce();
        return dynamo.endpoint();
    }

    public static String sqsEndpoint() {
        startOnce();
        return sqs.endpoint();
    }

    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Override
    public Map<String, String> start() {
        startOnce();
        return Map.of(
                "quarkus.dynamodb.endpoint-override", dynamo.endpoint(),
                "quarkus.sqs.endpoint-override", sqs.endpoint(),
                "quarkus.rest-client.meta-graph.url", Fakes.baseUrl(),
                "quarkus.rest-client.hubspot.url", Fakes.baseUrl(),
                "leadsync.test.fakes-url", Fakes.baseUrl());
    }

    @Override
    public void stop() {
        // Shared by all test classes of this JVM; the processes end with it.
    }
}
