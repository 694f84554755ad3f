package dev.cellar.persistence.hybrid;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cellar.api.Cellar;
import dev.cellar.api.CellarConfig;
import dev.cellar.api.Reply;
import dev.cellar.core.testing.RedisServerProcess;
import dev.cellar.core.testing.RespClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Interop with Debian's redis-server 7.0 in both directions: an appendonlydir written by one loads
 * into the other with the same data set, compared key by key over RESP, and redis-check-aof
 * accepts Cellar's.
 */
class RedisInteropTest {
    @TempDir
    Path tmp;

    private static void copyAofDir(Path from, Path to) throws IOException {
        Path src = from.resolve("appendonlydir");
        Path dst = Files.createDirectories(to.resolve("appendonlydir"));
        try (Stream<Path> files = Files.list(src)) {
            for (Path f : files.toList()) {
                Files.copy(f, dst.resolve(f.getFileName()));
            }
        }
    }

    private static void assertRedisAccepts(Path dir, String baseFormat) throws Exception {
        RedisServerProcess.Run check = RedisServerProcess.runTool("redis-check-aof",
                dir.resolve("appendonlydir/appendonly.aof.manifest").toString());
        assertThat(check.status()).as(check.output()).isZero();
        assertThat(check.output()).contains("Start to check BASE AOF (" + baseFormat + " format).")
                .contains("All AOF files and manifest are valid");
    }

    private Map<String, String> loadInRedis(Path cellarDir, String preamble) throws Exception {
        Path redisDir = tmp.resolve("redis");
        copyAofDir(cellarDir, redisDir);
        try (RedisServerProcess server = RedisServerProcess.startIn(redisDir, "--appendonly", "yes",
                "--aof-use-rdb-preamble", preamble);
             RespClient c = server.client()) {
            return Stores.dump(Stores.on(c));
        }
    }

    @ParameterizedTest(name = "aof-use-rdb-preamble {0}")
    @ValueSource(strings = {"yes", "no"})
    @DisplayName("Cellar's appendonlydir after a rewrite and later writes passes redis-check-aof and loads into redis-server with the same data set")
    void cellarWritesRedisLoads(String preamble) throws Exception {
        Path dir = tmp.resolve("cellar");
        Map<String, String> expected;
        try (Cellar store = Stores.open(dir, ProbeProvider.NAME, "aof-use-rdb-preamble", preamble)) {
            Workload.beforeRewrite(Stores.on(store));
            ProbeProvider.rewrite(dir);
            Workload.afterRewrite(Stores.on(store));
            expected = Stores.dump(Stores.on(store));
        }
        String ext = preamble.equals("yes") ? "rdb" : "aof";
        assertThat(Stores.names(dir.resolve("appendonlydir"))).contains("appendonly.aof.2.base." + ext);
        assertRedisAccepts(dir, preamble.equals("yes") ? "RDB" : "RESP");
        assertThat(expected).hasSize(20);
        Stores.assertSameDataSet(loadInRedis(dir, preamble), expected, "the data set redis-server loaded");
    }

    @Test
    @DisplayName("the RDB base Cellar writes on first start (empty data set) with writes after it passes redis-check-aof and loads into redis-server")
    void firstStartBaseLoadsInRedis() throws Exception {
        Path dir = tmp.resolve("cellar");
        Map<String, String> expected;
        try (Cellar store = Cellar.open(CellarConfig.builder().dir(dir).persistence("hybrid").build())) {
            Workload.beforeRewrite(Stores.on(store));
            expected = Stores.dump(Stores.on(store));
        }
        assertRedisAccepts(dir, "RDB");
        Stores.assertSameDataSet(loadInRedis(dir, "yes"), expected, "the data set redis-server loaded");
    }

    @Test
    @DisplayName("redis-server's appendonlydir with an RDB base (BGREWRITEAOF, then more writes) loads into Cellar with the same data set")
    void redisWritesCellarLoads() throws Exception {
        Path redisDir = tmp.resolve("redis");
        Files.createDirectories(redisDir);
        Map<String, String> expected;
        try (RedisServerProcess server = RedisServerProcess.startIn(redisDir, "--appendonly", "yes",
                "--aof-use-rdb-preamble", "yes", "--appendfsync", "always")) {
            try (RespClient c = server.client()) {
                Workload.beforeRewrite(Stores.on(c));
                assertThat(c.call("BGREWRITEAOF")).isInstanceOf(Reply.Simple.class);
                server.awaitAofRewrite();
                Workload.afterRewrite(Stores.on(c));
                expected = Stores.dump(Stores.on(c));
            }
            server.shutdown();
        }
        assertThat(Stores.names(redisDir.resolve("appendonlydir"))).containsExactly(
                "appendonly.aof.2.base.rdb", "appendonly.aof.2.incr.aof", "appendonly.aof.manifest");
        assertThat(Files.readString(redisDir.resolve("appendonlydir/appendonly.aof.2.incr.aof"),
                StandardCharsets.ISO_8859_1)).contains("after-rewrite");
        assertThat(expected).hasSize(20);

        Path cellarDir = tmp.resolve("cellar");
        copyAofDir(redisDir, cellarDir);
        try (Cellar store = Cellar.open(CellarConfig.builder().dir(cellarDir).persistence("hybrid").build())) {
            Stores.assertSameDataSet(Stores.dump(Stores.on(store)), expected, "the data set Cellar loaded");
        }
    }
}
