package com.leadsync.local;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A JVM holding local mode's emulators the way local mode does, for {@link LocalModeKillTest} to kill with SIGKILL:
 * <ul>
 * <li>{@code send <sqs-port> <data-dir>}: ElasticMQ on the data dir; sends messages to queue {@code kept} as fast as
 * it can, printing {@code ACK <n>} once SQS has acknowledged the n-th, until it is killed;</li>
 * <li>{@code count <sqs-port> <data-dir> <at-least>}: ElasticMQ on that data dir again; prints {@code COUNT <n>}, the
 * messages it restored (waiting up to 15 s for at least {@code at-least} of them), and exits;</li>
 * <li>{@code dynamodb <port> <data-dir> <tools-dir>}: dynalite on the data dir; prints {@code READY}, then waits to
 * be killed;</li>
 * <li>{@code sqs <port> <data-dir>}: ElasticMQ on the data dir, its queues restored; prints {@code READY}, then waits to
 * be killed.</li>
 * </ul>
 */
public final class EmulatorChild {

    private static final Pattern COUNT = Pattern.compile("\"ApproximateNumberOfMessages\"\\s*:\\s*\"(\\d+)\"");

    private EmulatorChild() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[1]);
        Path dataDir = Path.of(args[2]);
        switch (args[0]) {
            case "send" -> send(ElasticMqEmulator.start(port, dataDir));
            case "count" -> count(ElasticMqEmulator.start(port, dataDir), Integer.parseInt(args[3]));
            case "dynamodb" -> {
                DynaliteEmulator.start(Path.of(args[3]), port, dataDir);
                System.out.println("READY");
                System.out.flush();
                Thread.currentThread().join();
            }
            case "sqs" -> {
                ElasticMqEmulator.start(port, dataDir);
                System.out.println("READY");
                System.out.flush();
                Thread.currentThread().join();
            }
            default -> throw new IllegalArgumentException("send, count, dynamodb or sqs, not " + args[0]);
        }
    }

    private static void send(ElasticMqEmulator sqs) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        call(http, sqs, "CreateQueue", "{\"QueueName\":\"kept\"}");
        String url = sqs.endpoint() + "/000000000000/kept";
        for (long n = 1; ; n++) {
            call(http, sqs, "SendMessage", "{\"QueueUrl\":\"" + url + "\",\"MessageBody\":\"message " + n + "\"}");
            System.out.println("ACK " + n);
            System.out.flush();
        }
    }

    private static void count(ElasticMqEmulator sqs, int atLeast) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        String attributes = "{\"QueueUrl\":\"" + sqs.endpoint() + "/000000000000/kept\","
                + "\"AttributeNames\":[\"ApproximateNumberOfMessages\"]}";
        // ElasticMQ restores a queue's messages just after the queue itself.
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        int count;
        do {
            Matcher m = COUNT.matcher(call(http, sqs, "GetQueueAttributes", attributes));
            count = m.find() ? Integer.parseInt(m.group(1)) : 0;
            if (count < atLeast) {
                LockSupportSleep.pause(Duration.ofMillis(200));
            }
        } while (count < atLeast && System.nanoTime() < deadline);
        System.out.println("COUNT " + count);
        System.out.flush();
        System.exit(0);
    }

    private static String call(HttpClient http, ElasticMqEmulator sqs, String action, String body)
            throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(sqs.endpoint() + "/"))
                .header("Content-Type", "application/x-amz-json-1.0").header("X-Amz-Target", "AmazonSQS." + action)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }
}
