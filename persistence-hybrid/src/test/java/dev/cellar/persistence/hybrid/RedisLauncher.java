package dev.cellar.persistence.hybrid;

import dev.cellar.core.testing.RedisServerProcess;
import dev.cellar.core.testing.RespClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Debian's {@code redis-server} on this module's ports (7140-7149) with a directory of the test's
 * choosing, and {@code redis-check-aof}. Absent binaries skip the test (fail it under {@code CI=true}).
 */
final class RedisLauncher implements AutoCloseable {
    private static final int FIRST_PORT = 7140;
    private static final int LAST_PORT = 7149;

    private final Process process;
    private final int port;

    private RedisLauncher(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Starts redis-server in {@code dir} with RDB snapshots off and extra {@code --name value} options. */
    static RedisLauncher start(Path dir, String... options) throws IOException, InterruptedException {
        String bin = RedisServerProcess.require("redis-server");
        IOException last = null;
        for (int port = FIRST_PORT; port <= LAST_PORT; port++) {
            List<String> cmd = new ArrayList<>(List.of(bin, "--port", Integer.toString(port), "--bind", "127.0.0.1",
                    "--dir", dir.toString(), "--save", "", "--daemonize", "no", "--logfile", "redis.log"));
            cmd.addAll(List.of(options));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            for (int i = 0; i < 200 && p.isAlive(); i++) {
                try (RespClient c = new RespClient("127.0.0.1", port)) {
                    if (c.call("PING") instanceof dev.cellar.api.Reply.Simple) {
                        return new RedisLauncher(p, port);
                    }
                } catch (IOException e) {
                    last = e;
                    Thread.sleep(25);
                }
            }
            p.destroyForcibly().waitFor();
        }
        Path log = dir.resolve("redis.log");
        throw new IOException("redis-server did not start on ports " + FIRST_PORT + "-" + LAST_PORT
                + (Files.exists(log) ? "; log: " + Files.readString(log) : ""), last);
    }

    RespClient client() throws IOException {
        return new RespClient("127.0.0.1", port);
    }

    /** SHUTDOWN (which fsyncs the AOF) and waits for the process to exit. */
    void shutdown() throws InterruptedException {
        try (RespClient c = client()) {
            c.send("SHUTDOWN".getBytes(StandardCharsets.US_ASCII));
            c.read();
        } catch (IOException expected) {
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

    /** Runs {@code redis-check-aof} on a file; returns its exit status and output. */
    static Result checkAof(Path file) throws IOException, InterruptedException {
        String bin = RedisServerProcess.require("redis-check-aof");
        Process p = new ProcessBuilder(bin, file.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Result(p.waitFor(), out);
    }

    /** A tool's exit status and output. */
    record Result(int status, String output) {}
}
