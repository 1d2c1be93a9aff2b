package com.leadsync.chaos;

import com.leadsync.local.EmulatorChild;
import com.leadsync.testing.Emulators;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * The DynamoDB and SQS emulators local mode uses in the chaos run, each in a JVM of its own ({@link EmulatorChild}) on
 * a fixed port and data dir, so that the run can kill one with SIGKILL, as a crash would, and start it again on the
 * same data while local mode keeps running.
 */
final class KillableEmulators implements AutoCloseable {

    private static final Path TOOLS = Path.of(System.getProperty("leadsync.tools.dir", "target/tools"))
            .toAbsolutePath();

    private final Path dataDir;
    private final Path logDir;
    private final int dynamoPort;
    private final int sqsPort;
    private final List<ProcessHandle> started = new CopyOnWriteArrayList<>();
    private final Thread stopOnExit = new Thread(this::destroyAll, "chaos-emulators-stop");
    private Process dynamo;
    private Process sqs;
    private int starts;

    KillableEmulators(Path dataDir, Path logDir) throws IOException {
        this.dataDir = dataDir;
        this.logDir = logDir;
        this.dynamoPort = Emulators.freePort();
        this.sqsPort = Emulators.freePort();
        Files.createDirectories(logDir);
        Runtime.getRuntime().addShutdownHook(stopOnExit);
    }

    String dynamoEndpoint() {
        return "http://127.0.0.1:" + dynamoPort;
    }

    String sqsEndpoint() {
        return "http://127.0.0.1:" + sqsPort;
    }

    void startDynamo() throws IOException {
        dynamo = child("dynamodb", dynamoPort, dataDir.resolve("dynamodb"), TOOLS.toString());
    }

    void startSqs() throws IOException {
        sqs = child("sqs", sqsPort, dataDir.resolve("sqs"));
    }

    /** SIGKILL to the emulator (dynalite's node process) and the JVM that ran it; returns once its port is free. */
    void killDynamo() {
        kill(dynamo, dynamoPort);
    }

    void killSqs() {
        kill(sqs, sqsPort);
    }

    private void kill(Process process, int port) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        process.onExit().orTimeout(10, TimeUnit.SECONDS).join();
        Awaitility.await("port " + port + " free after the kill").atMost(Duration.ofSeconds(15))
                .pollInterval(Duration.ofMillis(100)).until(() -> !listening(port));
    }

    private Process child(String mode, int port, Path data, String... more) throws IOException {
        List<String> command = new ArrayList<>(List.of(Paths.get(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx256m", "-cp", System.getProperty("java.class.path"), EmulatorChild.class.getName(),
                mode, Integer.toString(port), data.toAbsolutePath().toString()));
        command.addAll(List.of(more));
        Path out = logDir.resolve(mode + "-" + (++starts) + ".log");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        started.add(p.toHandle());
        Awaitility.await(mode + " emulator ready on port " + port + " (log: " + out + ")")
                .atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
                    if (!p.isAlive()) {
                        throw new IllegalStateException(mode + " emulator exited with " + p.exitValue() + ": "
                                + read(out));
                    }
                    return read(out).contains("READY");
                });
        p.descendants().forEach(started::add);
        return p;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static boolean listening(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
            return true;
        } catch (IOException refused) {
            return false;
        }
    }

    @Override
    public void close() {
        destroyAll();
        started.forEach(p -> p.onExit().orTimeout(10, TimeUnit.SECONDS).exceptionally(e -> p).join());
        try {
            Runtime.getRuntime().removeShutdownHook(stopOnExit);
        } catch (IllegalStateException exiting) {
            // The hook is running: it ends them too.
        }
    }

    private void destroyAll() {
        for (Process p : new Process[] {dynamo, sqs}) {
            if (p != null) {
                p.descendants().forEach(started::add);
            }
        }
        started.forEach(ProcessHandle::destroyForcibly);
    }
}
