package dev.cellar.persistence.hybrid;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cellar.api.Cellar;
import dev.cellar.api.Reply;
import dev.cellar.core.testing.RedisServerProcess;
import dev.cellar.core.testing.RespClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * BGREWRITEAOF with {@code appendonly no}: as Redis 7 does, a base alone and a manifest naming it,
 * no incremental file, the log staying off; checked against the real redis-server (the same
 * manifest), redis-check-aof (accepts it) and redis-server loading it.
 */
class RewriteWhileOffTest {
    private static final Reply STARTED = new Reply.Simple("Background append only file rewriting started");

    @TempDir
    Path dir;

    private Cellar open(String preamble) {
        return Stores.open(dir, "rdb", "save", "", "appendonly", "no", "aof-use-rdb-preamble", preamble);
    }

    private static Map<String, String> info(Cellar store) {
        return Stores.info(store);
    }

    /** Waits until the base is written and the engine that wrote it is closed. */
    private static Map<String, String> awaitRewrite(Cellar store) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline) {
            Map<String, String> info = info(store);
            if (info.get("aof_rewrite_in_progress").equals("0") && info.get("aof_rewrite_scheduled").equals("0")) {
                Thread.sleep(300); // the cron (hz 10) closes the engine that wrote it
                return info(store);
            }
            Thread.sleep(10);
        }
        throw new AssertionError("the rewrite did not finish within 30 s");
    }

    private List<String> files() throws Exception {
        try (Stream<Path> s = Files.list(dir.resolve("appendonlydir"))) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private String manifest() throws Exception {
        return Files.readString(dir.resolve("appendonlydir/appendonly.aof.manifest"), StandardCharsets.UTF_8);
    }

    @ParameterizedTest(name = "aof-use-rdb-preamble {0}")
    @ValueSource(strings = {"yes", "no"})
    @DisplayName("writes a base alone and a manifest naming it; a second one replaces it; the log stays off")
    void aBaseAloneAndTheLogStaysOff(String preamble) throws Exception {
        String ext = preamble.equals("yes") ? "rdb" : "aof";
        try (Cellar store = open(preamble)) {
            store.execute(0, "SET", "s", "v");
            store.execute(0, "RPUSH", "l", "a", "b");
            store.execute(3, "HSET", "h", "f", "1");
            assertThat(store.execute(0, "BGREWRITEAOF")).isEqualTo(STARTED);
            Map<String, String> info = awaitRewrite(store);
            assertThat(info).containsEntry("aof_enabled", "0").containsEntry("aof_last_bgrewrite_status", "ok")
                    .containsEntry("aof_rewrites", "1");
            assertThat(files()).containsExactly("appendonly.aof.1.base." + ext, "appendonly.aof.manifest");
            assertThat(manifest()).isEqualTo("file appendonly.aof.1.base." + ext + " seq 1 type b\n");

            store.execute(0, "SET", "later", "x");
            assertThat(store.execute(0, "BGREWRITEAOF")).isEqualTo(STARTED);
            info = awaitRewrite(store);
            assertThat(info).containsEntry("aof_enabled", "0").containsEntry("aof_rewrites", "2");
            assertThat(files()).containsExactly("appendonly.aof.2.base." + ext, "appendonly.aof.manifest");
            assertThat(manifest()).isEqualTo("file appendonly.aof.2.base." + ext + " seq 2 type b\n");

            // the log can still be turned on afterwards; it starts from a base of its own
            assertThat(store.execute(0, "CONFIG", "SET", "appendonly", "yes")).isEqualTo(Reply.OK);
            awaitRewrite(store);
            store.execute(0, "SET", "after-on", "y");
        }
        try (Cellar store = Stores.open(dir, "rdb", "save", "", "appendonly", "yes", "aof-use-rdb-preamble", preamble)) {
            assertThat(store.execute(0, "GET", "later")).isEqualTo(Reply.bulk("x"));
            assertThat(store.execute(0, "GET", "after-on")).isEqualTo(Reply.bulk("y"));
            assertThat(store.execute(3, "HGET", "h", "f")).isEqualTo(Reply.bulk("1"));
        }
    }

    @Test
    @DisplayName("behind a running BGSAVE it is scheduled, INFO counting earlier rewrites once, and runs after it")
    void scheduledBehindABackgroundSave() throws Exception {
        try (Cellar store = open("yes")) {
            store.execute(0, "SET", "s", "v");
            assertThat(store.execute(0, "BGREWRITEAOF")).isEqualTo(STARTED);
            awaitRewrite(store);
            Map<String, String> during = ((dev.cellar.core.CellarEngine) store).withLock(() -> {
                // the BGSAVE's walk needs the lock for each slice: while this thread keeps it, its view stays open
                assertThat(store.execute(0, "BGSAVE")).isEqualTo(new Reply.Simple("Background saving started"));
                assertThat(store.execute(0, "BGREWRITEAOF"))
                        .isEqualTo(new Reply.Simple("Background append only file rewriting scheduled"));
                return info(store);
            });
            assertThat(during).containsEntry("aof_rewrite_scheduled", "1").containsEntry("aof_rewrites", "1")
                    .containsEntry("aof_enabled", "0");
            Map<String, String> after = awaitRewrite(store);
            assertThat(after).containsEntry("aof_rewrites", "2").containsEntry("aof_last_bgrewrite_status", "ok");
            assertThat(manifest()).isEqualTo("file appendonly.aof.2.base.rdb seq 2 type b\n");
        }
    }

    @Test
    @DisplayName("the same manifest as redis-server's; redis-check-aof accepts it and redis-server loads it")
    void asRedisDoesIt() throws Exception {
        String redisManifest;
        try (RedisServerProcess redis = RedisServerProcess.start(); RespClient c = redis.client()) {
            c.call("SET", "s", "v");
            assertThat(c.call("BGREWRITEAOF")).isEqualTo(STARTED);
            Path m = redis.dir().resolve("appendonlydir/appendonly.aof.manifest");
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (!Files.exists(m) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            Thread.sleep(200);
            redisManifest = Files.readString(m, StandardCharsets.UTF_8);
        }
        try (Cellar store = open("yes")) {
            store.execute(0, "SET", "s", "v");
            store.execute(0, "RPUSH", "l", "a", "b");
            store.execute(5, "SADD", "set", "m1", "m2");
            assertThat(store.execute(0, "BGREWRITEAOF")).isEqualTo(STARTED);
            awaitRewrite(store);
        }
        assertThat(manifest()).isEqualTo(redisManifest);

        Process check = new ProcessBuilder(RedisServerProcess.require("redis-check-aof"),
                dir.resolve("appendonlydir/appendonly.aof.manifest").toString()).redirectErrorStream(true).start();
        String output = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(check.waitFor()).as(output).isZero();
        assertThat(output).contains("All AOF files and manifest are valid");

        Path redisDir = Files.createDirectories(dir.resolve("redis/appendonlydir")).getParent();
        for (String f : files()) {
            Files.copy(dir.resolve("appendonlydir").resolve(f), redisDir.resolve("appendonlydir").resolve(f));
        }
        try (RedisServerProcess redis = RedisServerProcess.start("--dir", redisDir.toString(), "--appendonly", "yes");
             RespClient c = redis.client()) {
            assertThat(c.call("GET", "s")).isEqualTo(Reply.bulk("v"));
            assertThat(c.call("LRANGE", "l", "0", "-1")).isEqualTo(Reply.array(List.of(Reply.bulk("a"), Reply.bulk("b"))));
            c.call("SELECT", "5");
            assertThat(c.call("SCARD", "set")).isEqualTo(Reply.of(2));
        }
    }
}
