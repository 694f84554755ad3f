package dev.cellar.persistence.aof;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assertions;

/**
 * Starts Debian's {@code redis-server} for interop tests on this module's ports (7120-7129). When
 * it is absent the test is skipped, except under {@code CI=true}, where it fails.
 */
final class RedisLauncher implements AutoCloseable {
    private static final Path SERVER = Path.of("/usr/bin/redis-server");
    static final Path CHECK_AOF = Path.of("/usr/bin/redis-check-aof");

    final int port;
    private final Process process;

    private RedisLauncher(int port, Process process) {
        this.port = port;
        this.process = process;
    }

    /** Skips the test (or fails it under CI) when the Redis binaries are missing. */
    static void requireRedis() {
        boolean present = Files.isExecutable(SERVER) && Files.isExecutable(CHECK_AOF);
        if (!present && "true".equals(System.getenv("CI"))) {
            Assertions.fail("redis-server and redis-check-aof are required under CI (apt-get install redis-server)");
        }
        assumeTrue(present, "redis-server is not installed");
    }

    /** Starts a server in {@code dir} with extra arguments; waits until it answers. */
    static RedisLauncher start(Path dir, String... args) throws IOException, InterruptedException {
        requireRedis();
        IOException last = null;
        for (int port = 7120; port <= 7129; port++) {
            List<String> cmd = new ArrayList<>(List.of(SERVER.toString(), "--port", Integer.toString(port),
                    "--dir", dir.toString(), "--save", "", "--daemonize", "no", "--logfile", "redis.log"));
            cmd.addAll(List.of(args));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            for (int i = 0; i < 100 && p.isAlive(); i++) {
                try (Socket s = new Socket("127.0.0.1", port); RespTestClient c = new RespTestClient(s)) {
                    Object pong = c.call("PING");
                    if ("PONG".equals(pong)) {
                        return new RedisLauncher(port, p);
                    }
                } catch (IOException e) {
                    last = e;
                    Thread.sleep(50);
                }
            }
            p.destroyForcibly().waitFor();
        }
        throw new IOException("could not start redis-server on ports 7120-7129"
                + (Files.exists(dir.resolve("redis.log")) ? ": " + Files.readString(dir.resolve("redis.log")) : ""), last);
    }

    RespTestClient client() throws IOException {
        return new RespTestClient(new Socket("127.0.0.1", port));
    }

    /** SHUTDOWN (which flushes and fsyncs the AOF), then waits for the process. */
    void shutdown() throws IOException, InterruptedException {
        try (RespTestClient c = client()) {
            c.send("SHUTDOWN");
        } catch (IOException ignored) {
            // the server closes the connection as it exits
        }
        process.waitFor();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            process.waitFor();
        }
    }
}
