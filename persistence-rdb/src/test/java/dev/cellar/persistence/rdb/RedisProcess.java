package dev.cellar.persistence.rdb;

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
 * A real {@code redis-server} on one of this module's test ports (7110-7119) in a directory of the
 * test's choosing. Skips the test when Redis is not installed, except under {@code CI=true}, where
 * that fails it.
 */
final class RedisProcess implements AutoCloseable {
    private static final int FIRST_PORT = 7110;
    private static final int LAST_PORT = 7119;

    private final Process process;
    private final int port;
    private final Path dir;

    private RedisProcess(Process process, int port, Path dir) {
        this.process = process;
        this.port = port;
        this.dir = dir;
    }

    /** The path of a Redis tool, skipping (or failing under CI) when it is absent. */
    static String require(String name) {
        for (String d : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
            File f = new File(d, name);
            if (f.canExecute()) {
                return f.getPath();
            }
        }
        String reason = name + " is not installed (Debian packages redis-server and redis-tools)";
        if ("true".equals(System.getenv("CI"))) {
            throw new AssertionError("CI=true but " + reason);
        }
        Assumptions.abort(reason);
        return null;
    }

    private static int freePort() throws IOException {
        for (int p = FIRST_PORT; p <= LAST_PORT; p++) {
            try (ServerSocket s = new ServerSocket(p)) {
                return p;
            } catch (IOException busy) {
                // next
            }
        }
        throw new IOException("no free port in " + FIRST_PORT + "-" + LAST_PORT);
    }

    /** Starts redis-server in {@code dir} loading (and saving to) {@code dbfilename}, autosave off. */
    static RedisProcess start(Path dir, String dbfilename) throws IOException, InterruptedException {
        String bin = require("redis-server");
        int port = freePort();
        List<String> cmd = new ArrayList<>(List.of(bin, "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", dir.toString(), "--dbfilename", dbfilename,
                "--daemonize", "no", "--logfile", ""));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(dir.resolve("redis-" + port + ".log").toFile()).start();
        RedisProcess server = new RedisProcess(p, port, dir);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline && p.isAlive()) {
            try (Resp c = server.client()) {
                Object r = c.call("PING");
                if ("PONG".equals(r)) {
                    return server;
                }
            } catch (IOException e) {
                Thread.sleep(20);
            }
        }
        server.close();
        throw new IOException("redis-server did not start on port " + port + "; log: "
                + Files.readString(dir.resolve("redis-" + port + ".log")));
    }

    Resp client() throws IOException {
        return new Resp("127.0.0.1", port);
    }

    Path dir() {
        return dir;
    }

    /** The server's log so far. */
    String log() throws IOException {
        return Files.readString(dir.resolve("redis-" + port + ".log"));
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
