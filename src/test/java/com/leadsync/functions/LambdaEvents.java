package com.leadsync.functions;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Lambda event JSON as AWS sends it, for posting to the Quarkus mock event server. */
final class LambdaEvents {

    static final ObjectMapper JSON = new ObjectMapper();

    private LambdaEvents() {
    }

    /** An SQS event (as the event source mapping delivers it) with one record per body, ids m0, m1... */
    static String sqs(String queueName, String... bodies) {
        ObjectNode event = JSON.createObjectNode();
        ArrayNode records = event.putArray("Records");
        for (int i = 0; i < bodies.length; i++) {
            ObjectNode r = records.addObject();
            r.put("messageId", "m" + i);
            r.put("receiptHandle", "rh" + i);
            r.put("body", bodies[i]);
            r.set("attributes", JSON.valueToTree(Map.of("ApproximateReceiveCount", "1",
                    "SentTimestamp", "1772893800000", "SenderId", "AIDAEXAMPLE",
                    "ApproximateFirstReceiveTimestamp", "1772893800001")));
            r.set("messageAttributes", JSON.createObjectNode());
            r.put("md5OfBody", "0");
            r.put("eventSource", "aws:sqs");
            r.put("eventSourceARN", "arn:aws:sqs:us-east-1:123456789012:" + queueName);
            r.put("awsRegion", "us-east-1");
        }
        return event.toString();
    }

    /** The sample API Gateway HTTP API event from infra/events, with this body and signature. */
    static String httpApi(String body, String signature, boolean base64) throws IOException {
        ObjectNode event = (ObjectNode) JSON.readTree(Files.readString(Path.of("infra/events/apigw-v2-webhook.json")));
        ((ObjectNode) event.get("headers")).put("x-hub-signature-256", signature);
        event.put("body", base64 ? java.util.Base64.getEncoder().encodeToString(body.getBytes(
                java.nio.charset.StandardCharsets.UTF_8)) : body);
        event.put("isBase64Encoded", base64);
        return event.toString();
    }
}
