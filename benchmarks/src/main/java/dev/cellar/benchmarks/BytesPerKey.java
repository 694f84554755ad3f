package dev.cellar.benchmarks;

import dev.cellar.api.CellarConfig;
import dev.cellar.core.CellarEngine;
import dev.cellar.core.engine.Session;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Heap bytes per key for N string keys shaped like {@code key:N -> value:N} (what Redis's
 * {@code DEBUG POPULATE N} writes), beside a real redis-server's {@code used_memory} for the same
 * data set when one is installed. Cellar's figure is the heap retained after a full GC (the
 * difference before and after loading, divided by N) and its own {@code used_memory} estimate.
 *
 * <p>Run: {@code java -cp benchmarks/target/cellar-benchmarks.jar dev.cellar.benchmarks.BytesPerKey [N]}.
 */
public final class BytesPerKey {
    private BytesPerKey() {}

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        System.out.printf("keys: %,d  JDK: %s  JVM flags: %s%n", n, System.getProperty("java.version"),
                ManagementFactory.getRuntimeMXBean().getInputArguments());

        long before = usedAfterGc();
        CellarEngine engine = new CellarEngine(CellarConfig.defaults());
        Session s = engine.newSession();
        byte[] set = "SET".getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < n; i++) {
            engine.execute(s, new byte[][] {set, ("key:" + i).getBytes(StandardCharsets.US_ASCII),
                ("value:" + i).getBytes(StandardCharsets.US_ASCII)});
        }
        long after = usedAfterGc();
        long estimate = engine.withLock(() -> engine.engine().usedMemory());
        double cellarHeap = (after - before) / (double) n;
        double cellarEstimate = estimate / (double) n;
        System.out.printf("cellar  heap retained: %.1f bytes/key   used_memory estimate: %.1f bytes/key%n",
                cellarHeap, cellarEstimate);
        engine.close();

        Double redis = redisBytesPerKey(n);
        if (redis == null) {
            System.out.println("redis   (redis-server not installed: no comparison)");
        } else {
            System.out.printf("redis   used_memory: %.1f bytes/key%n", redis);
            System.out.printf("ratio cellar/redis: %.2f%n", cellarHeap / redis);
        }
    }

    static long usedAfterGc() throws InterruptedException {
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 8; i++) {
            System.gc();
            Thread.sleep(50);
            best = Math.min(best, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return best;
    }

    /** used_memory per key of a real redis-server after DEBUG POPULATE, or null when absent. */
    static Double redisBytesPerKey(int n) throws IOException, InterruptedException {
        Path bin = Path.of("/usr/bin/redis-server");
        if (!Files.isExecutable(bin)) {
            return null;
        }
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Path dir = Files.createTempDirectory("redis-bpk");
        Process p = new ProcessBuilder(bin.toString(), "--port", Integer.toString(port), "--save", "", "--appendonly",
                "no", "--dir", dir.toString(), "--enable-debug-command", "yes").redirectErrorStream(true)
                .redirectOutput(dir.resolve("log").toFile()).start();
        try {
            Thread.sleep(300);
            long empty = usedMemory(port);
            cli(port, "DEBUG", "POPULATE", Integer.toString(n), "key", "0");
            long full = usedMemory(port);
            return (full - empty) / (double) n;
        } finally {
            p.destroy();
            p.waitFor();
        }
    }

    private static long usedMemory(int port) throws IOException, InterruptedException {
        for (String line : cli(port, "INFO", "memory")) {
            if (line.startsWith("used_memory:")) {
                return Long.parseLong(line.substring("used_memory:".length()).trim());
            }
        }
        throw new IOException("no used_memory in INFO");
    }

    private static List<String> cli(int port, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("redis-cli", "-p", Integer.toString(port)));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        List<String> lines = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                lines.add(line);
            }
        }
        p.waitFor();
        return lines;
    }
}
