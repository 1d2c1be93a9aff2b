package com.leadsync.local;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * The DynamoDB emulator (dynalite, a Node.js program from the npm registry), run as a child process
 * bound to loopback. The Maven build installs it into the tools folder; if it is missing we run the
 * same install script, so a fresh machine needs no manual step.
 *
 * <p>It ends with this JVM however that ends: a JVM killed with SIGKILL runs no shutdown hook, so dynalite also
 * watches its stdin, a pipe only this JVM writes to, and exits when the pipe closes. Otherwise it would keep its port
 * and data dir, and the next start of local mode would talk to the orphan as if it were its own.
 */
public final class DynaliteEmulator implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(DynaliteEmulator.class);
    public static final String VERSION = "4.0.0";
    /**
     * Run by node before dynalite's CLI (its path is the first argument): exits once our end of stdin closes; and
     * survives a client that drops a request half sent (dynalite throws the socket's ECONNRESET from the request's
     * error handler, which would end the process and every test after it, where DynamoDB only drops that request).
     */
    private static final String EXIT_WITH_PARENT = "process.stdin.on('end',()=>process.exit(0));"
            + "process.stdin.on('error',()=>process.exit(0));process.stdin.resume();"
            + "process.on('uncaughtException',e=>{if(e&&e.code==='ECONNRESET'){"
            + "console.error('a client dropped a request: '+e.message);return;}"
            + "console.error(e);process.exit(1);});"
            + "require(process.argv[1]);";

    private final Process process;
    private final int port;
    private final Thread stopHook;

    private DynaliteEmulator(Process process, int port) {
        this.process = process;
        this.port = port;
        // If the JVM exits without close(), the child process must not outlive it.
        this.stopHook = new Thread(process::destroy, "dynalite-stop");
        Runtime.getRuntime().addShutdownHook(stopHook);
    }

    /** Starts dynalite on {@code port}; {@code dataDir} null keeps tables in memory only. */
    public static DynaliteEmulator start(Path toolsDir, int port, Path dataDir) throws IOException {
        Path cli = ensureInstalled(toolsDir);
        refuseTakenPort(port);
        List<String> cmd = new ArrayList<>(List.of("node", "-e", EXIT_WITH_PARENT, cli.toAbsolutePath().toString(),
                "--host", "127.0.0.1",
                "--port", Integer.toString(port), "--createTableMs", "0", "--deleteTableMs", "0",
                "--updateTableMs", "0"));
        if (dataDir != null) {
            Files.createDirectories(dataDir);
            cmd.addAll(List.of("--path", dataDir.toAbsolutePath().toString()));
        }
        // Its output is kept: should it ever die, the reason is there (the JVM sees only refused connections).
        Path log = toolsDir.resolve("dynalite-" + port + ".log");
        Process process = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        process.onExit().thenAccept(p -> {
            if (p.exitValue() != 0 && p.exitValue() != 143) {
                LOG.errorf("the DynamoDB emulator on port %d exited with %d; its output is in %s", port,
                        p.exitValue(), log);
            }
        });
        DynaliteEmulator emulator = new DynaliteEmulator(process, port);
        emulator.awaitPort(Duration.ofSeconds(20));
        LOG.infof("DynamoDB emulator (dynalite %s) on http://127.0.0.1:%d%s", VERSION, port,
                dataDir == null ? " (in memory)" : " (data in " + dataDir + ")");
        return emulator;
    }

    /**
     * Someone else on the port (another program, or a dynalite that outlived a local mode of an older version)
     * would answer in place of ours: say so rather than use it.
     */
    private static void refuseTakenPort(int port) throws IOException {
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true); // as node binds: connections of a stopped dynalite do not count
            probe.bind(new InetSocketAddress("127.0.0.1", port));
        } catch (IOException taken) {
            throw new IOException("port " + port + " (leadsync.local.dynamodb-port) is in use: stop what holds it"
                    + " (a dynalite left by an earlier local mode?) or choose another port", taken);
        }
    }

    private static Path ensureInstalled(Path toolsDir) throws IOException {
        Path cli = toolsDir.resolve("node_modules/dynalite/cli.js");
        if (Files.exists(cli)) {
            return cli;
        }
        Path script = Path.of("infra/local/install-dynalite.sh");
        List<String> cmd = Files.exists(script)
                ? List.of("bash", script.toString(), toolsDir.toString(), VERSION)
                : List.of("npm", "install", "--prefix", toolsDir.toString(), "--no-audit", "--no-fund",
                        "dynalite@" + VERSION);
        LOG.infof("Installing dynalite %s into %s", VERSION, toolsDir);
        try {
            Process install = new ProcessBuilder(cmd).inheritIO().start();
            if (!install.waitFor(5, TimeUnit.MINUTES) || install.exitValue() != 0 || !Files.exists(cli)) {
                throw new IOException("could not install dynalite with: " + String.join(" ", cmd));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while installing dynalite", e);
        }
        return cli;
    }

    private void awaitPort(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("dynalite exited with " + process.exitValue() + " (is port " + port
                        + " free and Node.js 20+ installed?)");
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                if (process.isAlive()) {
                    return;
                }
                continue;
            } catch (IOException notYet) {
                LockSupportSleep.pause(Duration.ofMillis(50));
            }
        }
        process.destroy();
        throw new IOException("dynalite did not open port " + port + " within " + timeout);
    }

    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(stopHook);
        } catch (IllegalStateException shuttingDown) {
            // The hook is running or about to; it destroys the process too.
        }
        process.destroy();
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
