package dev.cellar.core.testing;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
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
    private final Path log;

    private RedisServerProcess(Process process, int port, Path dir, Path log) {
        this.process = process;
        this.port = port;
        this.dir = dir;
        this.log = log;
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

    /**
     * A free TCP port on loopback: an ephemeral one, or the first free one in
     * {@code CELLAR_TEST_REDIS_PORTS} ({@code first-last}) when that is set, so that test runs
     * sharing a machine can each keep to a port range of their own.
     */
    public static int freePort() throws IOException {
        String range = System.getenv("CELLAR_TEST_REDIS_PORTS");
        if (range == null || range.isBlank()) {
            try (ServerSocket s = new ServerSocket(0)) {
                s.setReuseAddress(true);
                return s.getLocalPort();
            }
        }
        String[] ends = range.trim().split("-");
        int first = Integer.parseInt(ends[0]);
        int last = Integer.parseInt(ends[ends.length - 1]);
        for (int p = first; p <= last; p++) {
            try (ServerSocket s = new ServerSocket(p)) {
                return p;
            } catch (IOException busy) {
                // the next one
            }
        }
        throw new IOException("no free port in CELLAR_TEST_REDIS_PORTS=" + range);
    }

    /** Starts redis-server with persistence off and the given extra options ({@code --name value} pairs). */
    public static RedisServerProcess start(String... options) throws IOException, InterruptedException {
        return launch(Files.createTempDirectory("redis-oracle"), "redis.log", options);
    }

    /**
     * Starts redis-server with its working directory {@code dir} (where it loads and saves its
     * files; its log is {@code redis-PORT.log} there), RDB snapshots and the AOF off unless the
     * extra options ({@code --name value} pairs, e.g. {@code --appendonly yes}) turn them on.
     */
    public static RedisServerProcess startIn(Path dir, String... options) throws IOException, InterruptedException {
        return launch(dir, null, options);
    }

    /**
     * Starts redis-server on the config file {@code conf} (the first argument, as redis-server wants
     * it; it stops at a line it cannot take), in {@code dir}, with the options of {@link #startIn}.
     */
    public static RedisServerProcess startWithConfig(Path dir, Path conf, String... options)
            throws IOException, InterruptedException {
        return launch(dir, null, conf, options);
    }

    private static RedisServerProcess launch(Path dir, String logName, String... options)
            throws IOException, InterruptedException {
        return launch(dir, logName, null, options);
    }

    private static RedisServerProcess launch(Path dir, String logName, Path conf, String... options)
            throws IOException, InterruptedException {
        String bin = require("redis-server");
        for (int attempt = 1; ; attempt++) {
            int port = freePort();
            Path log = dir.resolve(logName != null ? logName : "redis-" + port + ".log");
            List<String> cmd = new ArrayList<>(List.of(bin));
            if (conf != null) {
                cmd.add(conf.toString());
            }
            cmd.addAll(List.of("--port", Integer.toString(port), "--bind", "127.0.0.1",
                    "--save", "", "--appendonly", "no", "--dir", dir.toString(), "--daemonize", "no",
                    "--enable-debug-command", "yes"));
            cmd.addAll(List.of(options));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            RedisServerProcess server = new RedisServerProcess(p, port, dir, log);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (System.nanoTime() < deadline && p.isAlive()) {
                try (RespClient c = new RespClient("127.0.0.1", port)) {
                    if (c.call("PING") instanceof dev.cellar.api.Reply.Simple) {
                        return server;
                    }
                } catch (IOException e) {
                    Thread.sleep(20);
                }
            }
            server.close();
            String text = Files.readString(log);
            // Another process took the port between the probe and redis-server's bind: take another.
            if (attempt < 5 && text.contains("Address already in use")) {
                continue;
            }
            throw new IOException("redis-server did not start on port " + port + "; log: " + text);
        }
    }

    /** A finished program's exit status and output (standard output and error together). */
    public record Run(int status, String output) {}

    /** Runs a program to completion. */
    public static Run run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Run(p.waitFor(), out);
    }

    /**
     * Runs a Redis tool ({@code redis-check-aof}, {@code redis-check-rdb}, ...) to completion; absent,
     * it skips the test (fails it under CI=true) as {@link #require} does.
     */
    public static Run runTool(String name, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(require(name));
        cmd.addAll(List.of(args));
        return run(cmd.toArray(String[]::new));
    }

    /** The port. */
    public int port() {
        return port;
    }

    /** The working directory. */
    public Path dir() {
        return dir;
    }

    /** The server's log so far. */
    public String log() throws IOException {
        return Files.readString(log);
    }

    /** A new client connection. */
    public RespClient client() throws IOException {
        return new RespClient("127.0.0.1", port);
    }

    /** A new client connection sending text arguments in {@code text}. */
    public RespClient client(Charset text) throws IOException {
        return new RespClient("127.0.0.1", port, text);
    }

    /**
     * Waits (wall clock, a bound on the test: 30 s) until INFO persistence shows no AOF rewrite
     * running or scheduled, and asserts the last one succeeded.
     */
    public void awaitAofRewrite() throws IOException, InterruptedException {
        try (RespClient c = client()) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < deadline) {
                String info = ((dev.cellar.api.Reply.Bulk) c.call("INFO", "persistence")).text();
                if (info.contains("aof_rewrite_in_progress:0") && info.contains("aof_rewrite_scheduled:0")) {
                    if (!info.contains("aof_last_bgrewrite_status:ok")) {
                        throw new AssertionError("redis-server's AOF rewrite failed: " + info);
                    }
                    return;
                }
                Thread.sleep(20);
            }
        }
        throw new AssertionError("redis-server's AOF rewrite did not finish within 30 s");
    }

    /** SHUTDOWN (which saves as configured and fsyncs the AOF), then waits for the process to exit. */
    public void shutdown() throws InterruptedException {
        try (RespClient c = client()) {
            c.send("SHUTDOWN".getBytes(StandardCharsets.US_ASCII));
            c.read();
        } catch (IOException expected) {
            // the server closes the connection as it exits
        }
        process.waitFor();
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
