package com.leadsync.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.leadsync.testing.Emulators;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Local mode killed with SIGKILL (no shutdown hook runs) keeps what its emulators acknowledged and leaves nothing
 * running: each case kills a JVM holding the emulators as local mode does ({@link EmulatorChild}).
 */
class LocalModeKillTest {

    private static final Path TOOLS = Path.of(System.getProperty("leadsync.tools.dir", "target/tools"));
    private final List<ProcessHandle> started = new ArrayList<>();

    @TempDir
    Path dataDir;

    @AfterEach
    void killWhatWasLeft() {
        started.forEach(ProcessHandle::destroyForcibly);
    }

    @Test
    void every_message_sqs_acknowledged_is_still_queued_after_a_kill(@TempDir Path logs) throws Exception {
        int port = Emulators.freePort();
        Path acks = logs.resolve("acks.txt");
        Process sender = child(acks, "send", Integer.toString(port), dataDir.resolve("sqs").toString());
        // Well into sending at full speed (a few hundred acknowledged), then killed mid-stream.
        await().atMost(Duration.ofSeconds(60)).until(() -> lastAck(acks) >= 300);
        sender.destroyForcibly();
        assertThat(sender.waitFor(30, TimeUnit.SECONDS)).isTrue();
        long acked = lastAck(acks);

        Path count = logs.resolve("count.txt");
        Process counter = child(count, "count", Integer.toString(port), dataDir.resolve("sqs").toString(),
                Long.toString(acked));
        assertThat(counter.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String counted = Files.readAllLines(count).stream().filter(l -> l.startsWith("COUNT ")).findFirst()
                .orElse("COUNT -1");

        assertThat(Long.parseLong(counted.substring(6))).as("messages restored of %d acknowledged", acked)
                .isGreaterThanOrEqualTo(acked);
    }

    /** The highest {@code ACK n} the sender printed (each only once SQS had answered). */
    private static long lastAck(Path file) throws IOException {
        if (!Files.exists(file)) {
            return 0;
        }
        long last = 0;
        for (String line : Files.readAllLines(file)) {
            if (line.matches("ACK [0-9]+")) {
                last = Long.parseLong(line.substring(4));
            }
        }
        return last;
    }

    @Test
    void the_dynamodb_emulator_ends_with_the_local_mode_that_was_killed() throws Exception {
        int port = Emulators.freePort();
        Path out = dataDir.resolve("holder.txt");
        Process holder = child(out, "dynamodb", Integer.toString(port), dataDir.resolve("dynamodb").toString(),
                TOOLS.toString());
        await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(out)
                && Files.readAllLines(out).contains("READY"));
        List<ProcessHandle> dynalite = holder.descendants().toList();
        started.addAll(dynalite);
        assertThat(dynalite).isNotEmpty();
        assertThat(listening(port)).isTrue();

        holder.destroyForcibly();

        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            assertThat(dynalite).noneMatch(ProcessHandle::isAlive);
            assertThat(listening(port)).as("port %d freed for the next start", port).isFalse();
        });
    }

    @Test
    void a_port_another_program_holds_is_refused_rather_than_taken_for_the_emulator() throws Exception {
        try (ServerSocket stranger = new ServerSocket()) {
            stranger.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            int port = stranger.getLocalPort();

            assertThatThrownBy(() -> DynaliteEmulator.start(TOOLS, port, dataDir)).isInstanceOf(IOException.class)
                    .hasMessageContaining("port " + port).hasMessageContaining("in use");
        }
    }

    /** An {@link EmulatorChild} JVM, its output in {@code out} (killing a process closes our end of its pipes). */
    private Process child(Path out, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Paths.get(System.getProperty("java.home"), "bin", "java")
                .toString(), "-cp", System.getProperty("java.class.path"), EmulatorChild.class.getName()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectOutput(out.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        started.add(p.toHandle());
        return p;
    }

    private static boolean listening(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
            return true;
        } catch (IOException refused) {
            return false;
        }
    }
}
