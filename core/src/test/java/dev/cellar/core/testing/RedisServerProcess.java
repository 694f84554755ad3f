package dev.cellar.core.testing;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A real {@code redis-server} on a free loopback port, in a temporary directory, for differential
 * and interoperability tests. Where the binary is absent the test is skipped with the reason,
 * except under {@code CI=true}, where its absence fails the test: CI always runs the comparisons.
 */
public final class RedisServerProcess implements AutoCloseable {
    private final Process process;
    private final int port;
    private final Path dir;

    private RedisServerProcess(Process process, int port, Path dir) {
        this.process = process;
        this.port = port;
        this.dir = dir;
    }

    /** The path of redis-server, or null when it is not installed. */
    public static String binary(String name) {
        for (String d : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
            File f = new File(d, name);
            if (f.canExecute()) {
                return f.getPath();
            }
        }
        return null;
    }

    /** Skips the test (or fails it under CI=true) when {@code name} is not installed. */
    public static String require(String name) {
        String path = binary(name);
        if (path == null) {
            String reason = name + " is not installed (Debian packages redis-server and redis-tools; .ci/run installs them)";
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError("CI=true but " + reason);
            }
            Assumptions.abort(reason);
        }
        return path;
    }

    /** A free TCP port on loopback. */
    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }

    /** Starts redis-server with persistence off and the given extra options ({@code --name value} pairs). */
    public static RedisServerProcess start(String... options) throws IOException, InterruptedException {
        String bin = require("redis-server");
        int port = freePort();
        Path dir = Files.createTempDirectory("redis-oracle");
        List<String> cmd = new ArrayList<>(List.of(bin, "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", dir.toString(), "--daemonize", "no",
                "--enable-debug-command", "yes"));
        cmd.addAll(List.of(options));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(dir.resolve("redis.log").toFile()).start();
        RedisServerProcess server = new RedisServerProcess(p, port, dir);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            try (RespClient c = new RespClient("127.0.0.1", port)) {
                if (c.call("PING") instanceof dev.cellar.api.Reply.Simple) {
                    return server;
                }
            } catch (IOException e) {
                Thread.sleep(20);
            }
        }
        server.close();
        throw new IOException("redis-server did not start on port " + port + "; log: "
                + Files.readString(dir.resolve("redis.log")));
    }

    /** The port. */
    public int port() {
        return port;
    }

    /** The working directory. */
    public Path dir() {
        return dir;
    }

    /** A new client connection. */
    public RespClient client() throws IOException {
        return new RespClient("127.0.0.1", port);
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
