package com.leadsync.local;

import com.leadsync.testing.Emulators;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.awaitility.Awaitility;

/**
 * Local mode as a user runs it, an OS process of its own: the packaged jar ({@code ./mvnw package}) started with
 * the {@code dev} profile, on free ports of its own and a data dir of the caller's, so that a test can kill it with
 * SIGKILL and start it again on the same data. Every process it started (the JVM and the dynalite it runs) is ended
 * by {@link #close()}, whatever happened.
 */
public final class LocalModeProcess implements AutoCloseable {

    /** Local mode's admin key in the {@code dev} profile. */
    public static final String ADMIN_KEY = "local-admin-key";

    private final Path jar;
    private final Path dataDir;
    private final Path logDir;
    private final Map<String, String> config;
    private final Map<String, String> environment;
    private final int httpPort;
    private final int dynamoPort;
    private final int sqsPort;
    private final List<ProcessHandle> started = new CopyOnWriteArrayList<>();
    /** Ends them also when the test JVM is stopped before {@link #close()} (a build interrupted, a timeout). */
    private final Thread stopOnExit = new Thread(this::destroyAll, "local-mode-process-stop");
    private Process process;
    private int runs;

    /** {@code config}: system properties on top of the dev profile (timings, sample dirs). */
    LocalModeProcess(Path dataDir, Path logDir, Map<String, String> config) throws IOException {
        this(dataDir, logDir, config, Map.of());
    }

    /**
     * {@code environment}: variables set on top of a cleaned environment, such as {@code AWS_ENDPOINT_URL_DYNAMODB}
     * and {@code AWS_ENDPOINT_URL_SQS} for emulators the caller runs (and may kill) itself.
     */
    public LocalModeProcess(Path dataDir, Path logDir, Map<String, String> config, Map<String, String> environment)
            throws IOException {
        this.environment = Map.copyOf(environment);
        this.jar = packagedJar();
        this.dataDir = dataDir;
        this.logDir = logDir;
        this.config = new LinkedHashMap<>(config);
        this.httpPort = Emulators.freePort();
        this.dynamoPort = Emulators.freePort();
        this.sqsPort = Emulators.freePort();
        Files.createDirectories(logDir);
        Runtime.getRuntime().addShutdownHook(stopOnExit);
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + httpPort;
    }

    /** The log of the current (or last) run. */
    public Path log() {
        return logDir.resolve("local-mode-" + runs + ".log");
    }

    /** Starts local mode and waits until its API answers from DynamoDB. */
    public void start(Duration within) throws IOException {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("local mode is running already");
        }
        runs++;
        List<String> command = new ArrayList<>(List.of(Paths.get(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx768m", "-Dquarkus.profile=dev", "-Dquarkus.http.host=127.0.0.1",
                "-Dquarkus.http.port=" + httpPort, "-Dleadsync.local.dynamodb-port=" + dynamoPort,
                "-Dleadsync.local.sqs-port=" + sqsPort, "-Dleadsync.local.data-dir=" + dataDir.toAbsolutePath(),
                "-Dleadsync.local.tools-dir=" + Path.of(System.getProperty("leadsync.tools.dir", "target/tools"))
                        .toAbsolutePath()));
        config.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.addAll(List.of("-jar", jar.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(log().toFile());
        // The samples and template are read relative to the project, as `./mvnw quarkus:dev` reads them.
        builder.directory(Path.of("").toAbsolutePath().toFile());
        // Local mode must start its own emulators and fakes, whatever this machine points the SDK or clients at.
        builder.environment().keySet().removeIf(name -> name.startsWith("AWS_ENDPOINT_URL")
                || name.startsWith("QUARKUS_") || name.startsWith("LEADSYNC_"));
        builder.environment().putAll(environment);
        process = builder.start();
        started.add(process.toHandle());
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest probe = HttpRequest.newBuilder(URI.create(baseUrl() + "/leads/import/imp_probe"))
                .header("x-api-key", ADMIN_KEY).timeout(Duration.ofSeconds(5)).GET().build();
        Awaitility.await("local mode answering on " + baseUrl() + " (log: " + log() + ")").atMost(within)
                .pollInterval(Duration.ofMillis(500)).until(() -> {
                    if (!process.isAlive()) {
                        throw new IllegalStateException("local mode exited with " + process.exitValue() + ": "
                                + tail());
                    }
                    try {
                        // A job lookup is a DynamoDB read: the gateway, the API function and the emulator are up.
                        return http.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode() == 404;
                    } catch (IOException notYet) {
                        return false;
                    }
                });
        // Known now, so that they are ended even if the JVM is gone by then.
        process.descendants().forEach(started::add);
    }

    /**
     * SIGKILL, as a crash or {@code kill -9} would end it: no shutdown hook runs. Returns the processes local mode
     * had started (its dynalite), which must end by themselves.
     */
    public List<ProcessHandle> kill() throws InterruptedException {
        List<ProcessHandle> children = process.descendants().toList();
        started.addAll(children);
        process.destroyForcibly();
        process.waitFor();
        return children;
    }

    /** Its HTTP, DynamoDB and SQS ports (the same on every start). */
    List<Integer> ports() {
        return List.of(httpPort, dynamoPort, sqsPort);
    }

    /** The last lines of the current run's log, for a failure message. */
    public String tail() {
        try (Stream<String> lines = Files.lines(log())) {
            List<String> all = lines.toList();
            return String.join("\n", all.subList(Math.max(0, all.size() - 40), all.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        destroyAll();
        for (ProcessHandle p : started) {
            p.onExit().orTimeout(10, TimeUnit.SECONDS).exceptionally(e -> p).join();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(stopOnExit);
        } catch (IllegalStateException exiting) {
            // The hook is running: it ends them too.
        }
    }

    private void destroyAll() {
        if (process != null) {
            process.descendants().forEach(started::add);
        }
        started.forEach(ProcessHandle::destroyForcibly);
    }

    /** The runner jar of {@code ./mvnw package} (failsafe names it), else the one in {@code target/}. */
    private static Path packagedJar() throws IOException {
        Optional<Path> named = Optional.ofNullable(System.getProperty("leadsync.local-mode.jar")).map(Path::of)
                .filter(Files::isRegularFile);
        if (named.isPresent()) {
            return named.get();
        }
        try (Stream<Path> target = Files.list(Path.of("target"))) {
            return target.filter(p -> p.getFileName().toString().endsWith("-runner.jar")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no packaged local mode in target/: run"
                            + " ./mvnw package first (./mvnw verify does)"));
        }
    }
}
