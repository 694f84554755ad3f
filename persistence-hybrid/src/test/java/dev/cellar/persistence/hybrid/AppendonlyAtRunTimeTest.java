package dev.cellar.persistence.hybrid;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cellar.api.Cellar;
import dev.cellar.api.Reply;
import dev.cellar.core.testing.RedisServerProcess;
import dev.cellar.core.testing.RespClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code CONFIG SET appendonly yes|no} at run time, with the rdb snapshot provider beside the log
 * (hybrid or aof by {@code aof-use-rdb-preamble}), on real files.
 */
class AppendonlyAtRunTimeTest {
    private static final Reply OK = new Reply.Simple("OK");

    @TempDir
    Path dir;

    private Path aofDir() {
        return dir.resolve("appendonlydir");
    }

    private Cellar open(String appendonly, String... more) {
        List<String> settings = new ArrayList<>(List.of("save", "", "appendonly", appendonly, "appendfsync", "always"));
        settings.addAll(List.of(more));
        return Stores.open(dir, "rdb", settings.toArray(String[]::new));
    }

    private static Map<String, String> info(Cellar store) {
        return Stores.info(store);
    }

    /** Waits (wall clock, a bound on the test) until no rewrite runs or waits; asserts it succeeded. */
    private static void awaitRewrite(Cellar store) throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
            Map<String, String> info = info(store);
            if (info.get("aof_rewrite_in_progress").equals("0") && info.get("aof_rewrite_scheduled").equals("0")) {
                assertThat(info).containsEntry("aof_last_bgrewrite_status", "ok");
                return;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("the AOF rewrite did not finish within 60 s");
    }

    /** {@code n} keys in database 0, a thousand per MSET. */
    private static void fill(Cellar store, int n) {
        for (int i = 0; i < n; i += 1000) {
            List<String> argv = new ArrayList<>(List.of("MSET"));
            for (int j = i; j < i + 1000; j++) {
                argv.add("filler:" + j);
                argv.add("value-" + j);
            }
            assertThat(store.execute(0, argv.toArray(String[]::new))).isEqualTo(OK);
        }
    }

    private String manifest() throws IOException {
        return Files.readString(aofDir().resolve("appendonly.aof.manifest"));
    }

    private Map<String, Long> sizes() throws IOException {
        Map<String, Long> m = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(aofDir())) {
            for (Path f : files.sorted().toList()) {
                m.put(f.getFileName().toString(), Files.size(f));
            }
        }
        return m;
    }

    @ParameterizedTest(name = "aof-use-rdb-preamble {0}")
    @ValueSource(strings = {"yes", "no"})
    @DisplayName("CONFIG SET appendonly yes writes a base with the earlier data and an incr with later writes; a restart with appendonly yes loads both")
    void turningOnWritesABaseThenLogs(String preamble) throws Exception {
        String ext = preamble.equals("yes") ? "rdb" : "aof";
        Map<String, String> expected;
        try (Cellar store = open("no", "aof-use-rdb-preamble", preamble)) {
            Workload.beforeRewrite(Stores.on(store));
            assertThat(aofDir()).doesNotExist();
            assertThat(info(store)).containsEntry("aof_enabled", "0");
            assertThat(store.execute(0, "CONFIG", "SET", "appendonly", "yes")).isEqualTo(OK);
            assertThat(info(store)).containsEntry("aof_enabled", "1");
            awaitRewrite(store);
            Workload.afterRewrite(Stores.on(store));
            expected = Stores.dump(Stores.on(store));
            assertThat(manifest()).isEqualTo("file appendonly.aof.1.base." + ext + " seq 1 type b\n"
                    + "file appendonly.aof.1.incr.aof seq 1 type i\n");
            String incr = Files.readString(aofDir().resolve("appendonly.aof.1.incr.aof"), StandardCharsets.ISO_8859_1);
            assertThat(incr).contains("after-rewrite").doesNotContain("last-db");
            assertThat(Stores.names(aofDir())).containsExactly("appendonly.aof.1.base." + ext,
                    "appendonly.aof.1.incr.aof", "appendonly.aof.manifest");
        }
        try (Cellar store = open("yes", "aof-use-rdb-preamble", preamble)) {
            Stores.assertSameDataSet(Stores.dump(Stores.on(store)), expected, "the data set after a restart");
        }
    }

    @Test
    @DisplayName("writes that run while the first base is written are in the log exactly once")
    void concurrentWritesAreNeitherLostNorDuplicated() throws Exception {
        int counters = 64;
        AtomicLongArray sent = new AtomicLongArray(counters);
        Map<String, String> expected;
        try (Cellar store = open("no")) {
            fill(store, 200_000);
            AtomicBoolean stop = new AtomicBoolean();
            CountDownLatch started = new CountDownLatch(4);
            List<Thread> writers = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int seed = t;
                Thread w = new Thread(() -> {
                    started.countDown();
                    for (long n = 0; !stop.get(); n++) {
                        int c = (int) ((n * 7 + seed) % counters);
                        Reply r = store.execute(c % 16, "INCR", "counter:" + c);
                        if (r instanceof Reply.Int) {
                            sent.incrementAndGet(c);
                        }
                        store.execute(c % 16, "RPUSH", "list:" + c, Long.toString(n));
                    }
                });
                writers.add(w);
                w.start();
            }
            started.await();
            Thread.sleep(50);
            assertThat(store.execute(0, "CONFIG", "SET", "appendonly", "yes")).isEqualTo(OK);
            awaitRewrite(store);
            Thread.sleep(50);
            stop.set(true);
            for (Thread w : writers) {
                w.join();
            }
            expected = Stores.dump(Stores.on(store));
        }
        try (Cellar store = open("yes")) {
            for (int c = 0; c < counters; c++) {
                Reply r = store.execute(c % 16, "GET", "counter:" + c);
                long value = r instanceof Reply.Bulk b ? Long.parseLong(b.text()) : 0;
                assertThat(value).as("counter:" + c).isEqualTo(sent.get(c));
            }
            Stores.assertSameDataSet(Stores.dump(Stores.on(store)), expected, "the data set after a restart");
        }
    }

    @Test
    @DisplayName("CONFIG SET appendonly no closes the log (files stay, they stop growing, aof_enabled:0); yes again writes a fresh base")
    void turningOffAndOnAgain() throws Exception {
        Map<String, String> expected;
        try (Cellar store = open("no")) {
            store.execute(0, "SET", "a", "1");
            assertThat(store.execute(0, "CONFIG", "SET", "appendonly", "yes")).isEqualTo(OK);
            awaitRewrite(store);
            store.execute(0, "SET", "b", "2");
            assertThat(store.execute(0, "CONFIG", "SET", "appendonly", "no")).isEqualTo(OK);
            assertThat(store.execute(0, "CONFIG", "GET", "appendonly")).isEqualTo(
                    new Reply.MapReply(List.of(new Reply.Bulk("appendonly".getBytes()), new Reply.Bulk("no".getBytes()))));
            Map<String, String> off = info(store);
            assertThat(off).containsEntry("aof_enabled", "0").containsEntry("aof_rewrites", "1")
                    .doesNotContainKey("aof_current_size");
            Map<String, Long> before = sizes();
            String manifestBefore = manifest();
            store.execute(0, "SET", "c", "3");
            store.execute(0, "SET", "b", "changed");
            assertThat(sizes()).isEqualTo(before);
            assertThat(manifest()).isEqualTo(manifestBefore);
            assertThat(store.execute(0, "CONFIG", "SET", "appendonly", "yes")).isEqualTo(OK);
            awaitRewrite(store);
            assertThat(info(store)).containsEntry("aof_rewrites", "2");
            store.execute(0, "SET", "d", "4");
            expected = Stores.dump(Stores.on(store));
            // the earlier log became history and went; the new base holds what was written while off
            assertThat(manifest()).isEqualTo("file appendonly.aof.2.base.rdb seq 2 type b\n"
                    + "file appendonly.aof.2.incr.aof seq 2 type i\n");
            assertThat(Stores.names(aofDir())).containsExactly("appendonly.aof.2.base.rdb",
                    "appendonly.aof.2.incr.aof", "appendonly.aof.manifest");
        }
        assertThat(expected).containsKeys("0:a", "0:b", "0:c", "0:d");
        try (Cellar store = open("yes")) {
            Stores.assertSameDataSet(Stores.dump(Stores.on(store)), expected, "the data set after a restart");
            assertThat(store.execute(0, "GET", "b")).isEqualTo(new Reply.Bulk("changed".getBytes()));
        }
    }

    @Test
    @DisplayName("with appendonly yes, SAVE and BGSAVE write dump.rdb beside the log, and it loads with appendonly no")
    void snapshotsBesideTheLog() throws Exception {
        Map<String, String> expected;
        try (Cellar store = open("yes")) {
            assertThat(info(store)).containsEntry("aof_enabled", "1");
            store.execute(0, "SET", "a", "1");
            assertThat(store.execute(0, "SAVE")).isEqualTo(OK);
            assertThat(dir.resolve("dump.rdb")).isRegularFile();
            long first = Files.size(dir.resolve("dump.rdb"));
            store.execute(0, "SET", "b", "x".repeat(1000));
            assertThat(store.execute(0, "BGSAVE")).isEqualTo(new Reply.Simple("Background saving started"));
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (info(store).get("rdb_bgsave_in_progress").equals("1") && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(info(store)).containsEntry("rdb_last_bgsave_status", "ok")
                    .containsEntry("rdb_changes_since_last_save", "0");
            assertThat(Files.size(dir.resolve("dump.rdb"))).isGreaterThan(first);
            expected = Stores.dump(Stores.on(store));
            assertThat(Files.readString(aofDir().resolve("appendonly.aof.1.incr.aof"), StandardCharsets.ISO_8859_1))
                    .contains("xxxxxxxx");
        }
        Files.delete(aofDir().resolve("appendonly.aof.manifest"));
        try (Cellar store = open("no")) {
            Stores.assertSameDataSet(Stores.dump(Stores.on(store)), expected, "the data set loaded from dump.rdb");
        }
    }

    @Test
    @DisplayName("a log that cannot start (its directory is a file) fails CONFIG SET with Redis's error; appendonly stays no")
    void failureToStartLeavesAppendonlyNo() throws Exception {
        Files.writeString(aofDir(), "in the way");
        try (Cellar store = open("no")) {
            store.execute(0, "SET", "a", "1");
            assertThat(store.execute(0, "CONFIG", "SET", "appendonly", "yes")).isEqualTo(new Reply.Error(
                    "ERR CONFIG SET failed (possibly related to argument 'appendonly') - Unable to turn on AOF."
                            + " Check server logs."));
            assertThat(store.execute(0, "CONFIG", "GET", "appendonly")).isEqualTo(
                    new Reply.MapReply(List.of(new Reply.Bulk("appendonly".getBytes()), new Reply.Bulk("no".getBytes()))));
            assertThat(info(store)).containsEntry("aof_enabled", "0").containsEntry("aof_last_bgrewrite_status", "err");
            assertThat(store.execute(0, "SET", "b", "2")).isEqualTo(OK);
            // once the way is clear it works
            Files.delete(aofDir());
            assertThat(store.execute(0, "CONFIG", "SET", "appendonly", "yes")).isEqualTo(OK);
            awaitRewrite(store);
        }
        try (Cellar store = open("yes")) {
            assertThat(store.execute(0, "GET", "b")).isEqualTo(new Reply.Bulk("2".getBytes()));
        }
    }

    @Test
    @DisplayName("BGREWRITEAOF behind a running BGSAVE is scheduled and runs after it; BGSAVE behind a rewrite is refused as Redis refuses it")
    void oneViewAtATime() throws Exception {
        try (Cellar store = open("yes")) {
            fill(store, 200_000);
            assertThat(store.execute(0, "BGSAVE")).isEqualTo(new Reply.Simple("Background saving started"));
            Reply rewrite = store.execute(0, "BGREWRITEAOF");
            if (info(store).get("rdb_bgsave_in_progress").equals("1")) {
                assertThat(rewrite).isEqualTo(new Reply.Simple("Background append only file rewriting scheduled"));
            }
            awaitRewrite(store);
            assertThat(info(store)).containsEntry("aof_rewrites", "1");
            assertThat(store.execute(0, "BGREWRITEAOF")).isEqualTo(
                    new Reply.Simple("Background append only file rewriting started"));
            Reply bgsave = store.execute(0, "BGSAVE");
            if (info(store).get("aof_rewrite_in_progress").equals("1")) {
                assertThat(bgsave).isEqualTo(new Reply.Error("ERR Another child process is active (AOF?): can't BGSAVE"
                        + " right now. Use BGSAVE SCHEDULE in order to schedule a BGSAVE whenever possible."));
            }
            awaitRewrite(store);
        }
    }

    @Test
    @DisplayName("after a run-time CONFIG SET appendonly yes and more writes, redis-check-aof accepts the directory and redis-server loads the same data set")
    void redisLoadsTheRunTimeLog() throws Exception {
        Map<String, String> expected;
        try (Cellar store = open("no")) {
            Workload.beforeRewrite(Stores.on(store));
            assertThat(store.execute(0, "CONFIG", "SET", "appendonly", "yes")).isEqualTo(OK);
            awaitRewrite(store);
            Workload.afterRewrite(Stores.on(store));
            expected = Stores.dump(Stores.on(store));
        }
        RedisServerProcess.Run check = RedisServerProcess.runTool("redis-check-aof",
                aofDir().resolve("appendonly.aof.manifest").toString());
        assertThat(check.status()).as(check.output()).isZero();
        assertThat(check.output()).contains("Start to check BASE AOF (RDB format).")
                .contains("All AOF files and manifest are valid");
        Path redisDir = Files.createDirectories(dir.resolve("redis/appendonlydir")).getParent();
        try (Stream<Path> files = Files.list(aofDir())) {
            for (Path f : files.toList()) {
                Files.copy(f, redisDir.resolve("appendonlydir").resolve(f.getFileName()));
            }
        }
        try (RedisServerProcess server = RedisServerProcess.startIn(redisDir, "--appendonly", "yes");
             RespClient c = server.client()) {
            Stores.assertSameDataSet(Stores.dump(Stores.on(c)), expected, "the data set redis-server loaded");
        }
    }
    @Test
    @DisplayName("CONFIG SET aof-use-rdb-preamble and rdbcompression apply to the next rewrite's base; every base loads back")
    void preambleAtRunTime() throws Exception {
        Map<String, String> expected;
        String big = "x".repeat(200); // LZF-compressible: stored compressed only with rdbcompression yes
        try (Cellar store = open("yes")) {
            awaitRewrite(store);
            assertThat(store.execute(0, "SET", "big", big)).isEqualTo(OK);
            assertThat(store.execute(0, "CONFIG", "SET", "aof-use-rdb-preamble", "no")).isEqualTo(OK);
            assertThat(store.execute(0, "BGREWRITEAOF")).isInstanceOf(Reply.Simple.class);
            awaitRewrite(store);
            assertThat(manifest()).isEqualTo("file appendonly.aof.2.base.aof seq 2 type b\n"
                    + "file appendonly.aof.2.incr.aof seq 2 type i\n");
            assertThat(Files.readString(aofDir().resolve("appendonly.aof.2.base.aof"), StandardCharsets.ISO_8859_1))
                    .startsWith("*").contains(big);
            assertThat(store.execute(0, "CONFIG", "SET", "aof-use-rdb-preamble", "yes", "rdbcompression", "no"))
                    .isEqualTo(OK);
            assertThat(store.execute(0, "SET", "after", "1")).isEqualTo(OK);
            assertThat(store.execute(0, "BGREWRITEAOF")).isInstanceOf(Reply.Simple.class);
            awaitRewrite(store);
            assertThat(manifest()).isEqualTo("file appendonly.aof.3.base.rdb seq 3 type b\n"
                    + "file appendonly.aof.3.incr.aof seq 3 type i\n");
            String rdb = Files.readString(aofDir().resolve("appendonly.aof.3.base.rdb"), StandardCharsets.ISO_8859_1);
            assertThat(rdb).startsWith("REDIS").contains(big);
            assertThat(store.execute(0, "CONFIG", "SET", "rdbcompression", "yes")).isEqualTo(OK);
            assertThat(store.execute(0, "BGREWRITEAOF")).isInstanceOf(Reply.Simple.class);
            awaitRewrite(store);
            assertThat(Files.readString(aofDir().resolve("appendonly.aof.4.base.rdb"), StandardCharsets.ISO_8859_1))
                    .startsWith("REDIS").doesNotContain(big);
            expected = Stores.dump(Stores.on(store));
        }
        try (Cellar store = open("yes")) {
            Stores.assertSameDataSet(Stores.dump(Stores.on(store)), expected, "the data set after reopening");
        }
    }
}
