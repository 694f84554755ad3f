package dev.cellar.persistence.rdb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cellar.api.CellarConfig;
import dev.cellar.api.Reply;
import dev.cellar.core.CellarEngine;
import dev.cellar.core.engine.Session;
import dev.cellar.core.persistence.PersistenceHost;
import dev.cellar.core.testing.DatasetDump;
import dev.cellar.core.testing.RedisServerProcess;
import dev.cellar.core.testing.RespClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The RDB provider inside the full engine: SAVE/BGSAVE orchestration, DUMP/RESTORE, and files exchanged with the real Redis. */
class EngineRdbTest {
    @TempDir
    Path dir;

    private CellarEngine open(Path d, String... settings) {
        CellarConfig.Builder b = CellarConfig.builder().set("cellar-persistence", "rdb").set("dir", d.toString())
                .set("hz", "1");
        for (int i = 0; i + 1 < settings.length; i += 2) {
            b.set(settings[i], settings[i + 1]);
        }
        return new CellarEngine(b.build());
    }

    private static Reply exec(CellarEngine c, Session s, int db, String... argv) {
        s.selectDb(db);
        byte[][] b = new byte[argv.length][];
        for (int i = 0; i < argv.length; i++) {
            b[i] = argv[i].getBytes(StandardCharsets.UTF_8);
        }
        return c.execute(s, b);
    }

    private static Reply exec(CellarEngine c, String... argv) {
        return exec(c, c.newSession(), 0, argv);
    }

    /** Every type in every encoding, with expiries, in three databases. */
    private static List<String[]> workload() {
        List<String[]> w = new ArrayList<>();
        w.add(new String[] {"SET", "int", "12345"});
        w.add(new String[] {"SET", "neg", "-9223372036854775808"});
        w.add(new String[] {"SET", "embstr", "hello"});
        w.add(new String[] {"SET", "raw", "r".repeat(100)});
        w.add(new String[] {"SET", "compressible", "abc".repeat(1000)});
        w.add(new String[] {"SET", "empty", ""});
        w.add(new String[] {"SET", "ttl", "v", "PXAT", "99999999999999"});
        w.add(new String[] {"RPUSH", "smalllist", "a", "1", "-5", "b".repeat(70)});
        w.add(new String[] {"HSET", "smallhash", "f1", "v1", "f2", "2"});
        w.add(new String[] {"SADD", "intset", "1", "2", "-3", "100000000000"});
        w.add(new String[] {"SADD", "strset", "a", "b", "c"});
        w.add(new String[] {"ZADD", "smallzset", "1", "a", "2.5", "b", "-inf", "c", "+inf", "d"});
        List<String> big = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            big.add("element-" + i);
        }
        List<String> l = new ArrayList<>(List.of("RPUSH", "biglist"));
        l.addAll(big);
        w.add(l.toArray(String[]::new));
        List<String> h = new ArrayList<>(List.of("HSET", "bighash"));
        List<String> s = new ArrayList<>(List.of("SADD", "bigset"));
        List<String> z = new ArrayList<>(List.of("ZADD", "bigzset"));
        for (int i = 0; i < 1000; i++) {
            h.add("f" + i);
            h.add("v" + i);
            s.add("m" + i);
            z.add(i + ".5");
            z.add("z" + i);
        }
        w.add(h.toArray(String[]::new));
        w.add(s.toArray(String[]::new));
        w.add(z.toArray(String[]::new));
        w.add(new String[] {"PEXPIREAT", "bighash", "99999999999999"});
        return w;
    }

    private static Map<String, String> dump(CellarEngine c) {
        Session s = c.newSession();
        return DatasetDump.of(4, (db, argv) -> exec(c, s, db, argv));
    }

    private static Map<String, String> dump(RespClient r) {
        return DatasetDump.of(4, (db, argv) -> {
            try {
                r.call("SELECT", Integer.toString(db));
                return r.call(argv);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    @Test
    @DisplayName("a data set saved by the real Redis loads into Cellar key by key, and Cellar's SAVE loads into the real Redis")
    void filesMoveBothWays() throws Exception {
        Map<String, String> redisData;
        try (RedisServerProcess redis = RedisServerProcess.start(); RespClient r = redis.client()) {
            for (int db = 0; db < 3; db++) {
                r.call("SELECT", Integer.toString(db));
                for (String[] cmd : workload()) {
                    r.call(cmd);
                }
            }
            redisData = dump(r);
            assertThat(r.call("SAVE")).isEqualTo(new Reply.Simple("OK"));
            Files.copy(redis.dir().resolve("dump.rdb"), dir.resolve("dump.rdb"));
        }
        Map<String, String> cellarData;
        try (CellarEngine cellar = open(dir)) {
            cellarData = dump(cellar);
            assertThat(cellarData).isEqualTo(redisData);
            assertThat(cellar.persistenceInfo()).containsEntry("rdb_last_load_keys_loaded", Integer.toString(3 * workload().size() - 3));
            Files.delete(dir.resolve("dump.rdb"));
            assertThat(exec(cellar, "SAVE")).isEqualTo(Reply.OK);
        }
        RedisServerProcess.Run check = RedisServerProcess.runTool("redis-check-rdb", dir.resolve("dump.rdb").toString());
        assertThat(check.status()).as(check.output()).isZero();
        assertThat(check.output()).contains("RDB looks OK!");
        Path redisDir = Files.createTempDirectory("redis-load");
        Files.copy(dir.resolve("dump.rdb"), redisDir.resolve("dump.rdb"), StandardCopyOption.REPLACE_EXISTING);
        try (RedisServerProcess redis = RedisServerProcess.start("--dir", redisDir.toString()); RespClient r = redis.client()) {
            assertThat(dump(r)).isEqualTo(cellarData);
        }
    }

    @Test
    @DisplayName("DUMP payloads move between Cellar and the real Redis in both directions")
    void dumpPayloadsMoveBothWays() throws Exception {
        try (RedisServerProcess redis = RedisServerProcess.start(); RespClient r = redis.client();
             CellarEngine cellar = open(dir)) {
            Session s = cellar.newSession();
            for (String[] cmd : workload()) {
                r.call(cmd);
            }
            for (String key : List.of("int", "embstr", "raw", "compressible", "smalllist", "smallhash", "intset",
                    "strset", "smallzset", "biglist", "bighash", "bigset", "bigzset")) {
                byte[] payload = ((Reply.Bulk) r.call("DUMP", key)).value();
                Reply restored = cellar.execute(s, new byte[][] {b("RESTORE"), b(key), b("0"), payload});
                assertThat(restored).as(key).isEqualTo(Reply.OK);
                byte[] back = ((Reply.Bulk) exec(cellar, s, 0, "DUMP", key)).value();
                assertThat(r.call(new byte[][] {b("RESTORE"), b(key + ":back"), b("0"), back})).as(key).isEqualTo(new Reply.Simple("OK"));
            }
            Map<String, String> cellarData = dump(cellar);
            r.call("SELECT", "0");
            for (String key : cellarData.keySet()) {
                String k = key.substring(2);
                String mine = cellarData.get(key).replaceAll(" expire=.*", "");
                Map<String, String> theirs = dump(r);
                assertThat(theirs.get("0:" + k + ":back").replaceAll(" expire=.*", "")).as(k).isEqualTo(mine);
                assertThat(theirs.get("0:" + k).replaceAll(" expire=.*", "")).as(k).isEqualTo(mine);
            }
        }
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    @DisplayName("RESTORE answers Redis 7.0's errors and propagates a relative TTL as ABSTTL")
    void restoreErrorsAndPropagation() {
        try (CellarEngine cellar = open(dir)) {
            Session s = cellar.newSession();
            List<dev.cellar.spi.persistence.PropagatedWrite> written = new ArrayList<>();
            cellar.withLock(() -> {
                cellar.engine().addWriteListener(written::add);
                return null;
            });
            exec(cellar, s, 0, "SET", "k", "v");
            byte[] payload = ((Reply.Bulk) exec(cellar, s, 0, "DUMP", "k")).value();
            assertThat(exec(cellar, s, 0, "RESTORE", "k", "0", "x")).isEqualTo(new Reply.Error("BUSYKEY Target key name already exists."));
            assertThat(exec(cellar, s, 0, "RESTORE", "n", "-1", "x")).isEqualTo(new Reply.Error("ERR Invalid TTL value, must be >= 0"));
            assertThat(exec(cellar, s, 0, "RESTORE", "n", "abc", "x")).isEqualTo(new Reply.Error("ERR value is not an integer or out of range"));
            assertThat(exec(cellar, s, 0, "RESTORE", "n", "0", "x")).isEqualTo(new Reply.Error("ERR DUMP payload version or checksum are wrong"));
            assertThat(exec(cellar, s, 0, "RESTORE", "n", "0", "x", "IDLETIME", "-1")).isEqualTo(new Reply.Error("ERR Invalid IDLETIME value, must be >= 0"));
            assertThat(exec(cellar, s, 0, "RESTORE", "n", "0", "x", "FREQ", "256")).isEqualTo(new Reply.Error("ERR Invalid FREQ value, must be >= 0 and <= 255"));
            assertThat(exec(cellar, s, 0, "RESTORE", "n", "0", "x", "FREQ", "1", "IDLETIME", "1")).isEqualTo(new Reply.Error("ERR syntax error"));
            assertThat(exec(cellar, s, 0, "RESTORE", "n", "0", "x", "FOO")).isEqualTo(new Reply.Error("ERR syntax error"));
            written.clear();
            long now = System.currentTimeMillis();
            assertThat(cellar.execute(s, new byte[][] {b("RESTORE"), b("r1"), b("100000"), payload})).isEqualTo(Reply.OK);
            assertThat(written).hasSize(1);
            byte[][] argv = written.get(0).argv();
            assertThat(new String(argv[0], StandardCharsets.UTF_8)).isEqualTo("RESTORE");
            assertThat(Long.parseLong(new String(argv[2], StandardCharsets.UTF_8))).isBetween(now + 100000 - 5000, now + 100000 + 5000);
            assertThat(new String(argv[argv.length - 1], StandardCharsets.UTF_8)).isEqualTo("ABSTTL");
            written.clear();
            assertThat(cellar.execute(s, new byte[][] {b("RESTORE"), b("k"), b("1000"), payload, b("REPLACE"), b("ABSTTL")})).isEqualTo(Reply.OK);
            assertThat(exec(cellar, s, 0, "EXISTS", "k")).isEqualTo(Reply.ZERO);
            assertThat(new String(written.get(0).argv()[0], StandardCharsets.UTF_8)).isEqualTo("DEL");
        }
    }

    @Test
    @DisplayName("SAVE, BGSAVE (and SCHEDULE), LASTSAVE and INFO persistence answer as Redis 7.0 does")
    void saveCommands() throws Exception {
        try (CellarEngine cellar = open(dir)) {
            Session s = cellar.newSession();
            for (int i = 0; i < 20_000; i++) {
                exec(cellar, s, 0, "SET", "k" + i, "v" + i);
            }
            assertThat(cellar.persistenceInfo()).containsEntry("rdb_changes_since_last_save", "20000");
            assertThat(exec(cellar, s, 0, "BGSAVE")).isEqualTo(new Reply.Simple("Background saving started"));
            Reply second = exec(cellar, s, 0, "BGSAVE");
            Reply scheduled = exec(cellar, s, 0, "BGSAVE", "SCHEDULE");
            if (cellar.persistenceInfo().get("rdb_bgsave_in_progress").equals("1")) {
                assertThat(second).isIn(new Reply.Error("ERR Background save already in progress"),
                        new Reply.Simple("Background saving started"));
            }
            // As Redis 7.0.15 answers: SCHEDULE behind a running BGSAVE is the same error (it
            // schedules only behind an AOF rewrite); "started" when the first save already ended.
            assertThat(scheduled).isIn(new Reply.Error("ERR Background save already in progress"),
                    new Reply.Simple("Background saving started"));
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (cellar.persistenceInfo().get("rdb_bgsave_in_progress").equals("1") && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            Map<String, String> info = cellar.persistenceInfo();
            assertThat(info).containsEntry("rdb_last_bgsave_status", "ok").containsEntry("rdb_changes_since_last_save", "0");
            assertThat(Long.parseLong(info.get("rdb_saves"))).isPositive();
            assertThat(((Reply.Int) exec(cellar, s, 0, "LASTSAVE")).value()).isCloseTo(System.currentTimeMillis() / 1000, org.assertj.core.data.Offset.offset(5L));
            assertThat(exec(cellar, s, 0, "CONFIG", "SET", "save", "1 2 3")).isInstanceOf(Reply.Error.class);
            assertThat(((Reply.Error) exec(cellar, s, 0, "CONFIG", "SET", "save", "1 2 3")).message()).endsWith("Invalid save parameters");
        }
    }

    @Test
    @DisplayName("a failed background save turns writes away with MISCONF until a save succeeds, and keeps the old file")
    void failedSaveRefusesWrites() throws Exception {
        FaultSwitch faults = new FaultSwitch();
        RdbPersistenceProvider.FILES.put(dir.toAbsolutePath().normalize(), faults);
        try (CellarEngine cellar = open(dir)) {
            Session s = cellar.newSession();
            exec(cellar, s, 0, "SET", "k", "v");
            assertThat(exec(cellar, s, 0, "SAVE")).isEqualTo(Reply.OK);
            byte[] before = Files.readAllBytes(dir.resolve("dump.rdb"));
            faults.failing = true;
            exec(cellar, s, 0, "SET", "k2", "v");
            assertThat(exec(cellar, s, 0, "BGSAVE")).isEqualTo(new Reply.Simple("Background saving started"));
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (cellar.persistenceInfo().get("rdb_bgsave_in_progress").equals("1") && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(cellar.persistenceInfo()).containsEntry("rdb_last_bgsave_status", "err");
            assertThat(exec(cellar, s, 0, "SET", "k3", "v")).isEqualTo(new Reply.Error(PersistenceHost.MISCONF));
            assertThat(exec(cellar, s, 0, "GET", "k")).isEqualTo(Reply.bulk("v"));
            assertThat(Files.readAllBytes(dir.resolve("dump.rdb"))).isEqualTo(before);
            assertThat(exec(cellar, s, 0, "SAVE")).isEqualTo(new Reply.Error("ERR"));
            faults.failing = false;
            assertThat(exec(cellar, s, 0, "SAVE")).isEqualTo(Reply.OK);
            assertThat(exec(cellar, s, 0, "SET", "k3", "v")).isEqualTo(Reply.OK);
        } finally {
            RdbPersistenceProvider.FILES.remove(dir.toAbsolutePath().normalize());
        }
    }

    @Test
    @DisplayName("DEBUG RELOAD saves and loads in place; close saves when save points exist")
    void reloadAndSaveOnClose() {
        try (CellarEngine cellar = open(dir)) {
            exec(cellar, "RPUSH", "l", "a", "b");
            assertThat(cellar.debugReload()).isNull();
            assertThat(exec(cellar, "LRANGE", "l", "0", "-1")).isEqualTo(new Reply.Array(List.of(Reply.bulk("a"), Reply.bulk("b"))));
            exec(cellar, "SET", "after", "x");
        }
        try (CellarEngine cellar = open(dir)) {
            assertThat(exec(cellar, "GET", "after")).isEqualTo(Reply.bulk("x"));
        }
    }

    @Test
    @DisplayName("while a big file loads in the background, commands get LOADING and INFO shows loading:1")
    void loadingIsObservable() throws Exception {
        try (CellarEngine cellar = open(dir)) {
            Session s = cellar.newSession();
            for (int i = 0; i < 300_000; i += 1000) {
                List<String> mset = new ArrayList<>(List.of("MSET"));
                for (int j = i; j < i + 1000; j++) {
                    mset.add("key:" + j);
                    mset.add("value:" + j);
                }
                exec(cellar, s, 0, mset.toArray(String[]::new));
            }
        }
        String usedMem = auxField(dir.resolve("dump.rdb"), "used-mem");
        assertThat(usedMem).isNotNull().isNotEqualTo("0");
        try (CellarEngine cellar = open(dir, "cellar-load-in-background", "yes")) {
            Reply during = exec(cellar, "GET", "key:1");
            Map<String, String> info = cellar.persistenceInfo();
            if (info.get("loading").equals("1")) {
                assertThat(during).isEqualTo(new Reply.Error("LOADING Redis is loading the dataset in memory"));
                assertThat(info).containsKey("loading_loaded_perc");
            }
            // Once the header is read, loading_rdb_used_mem is the file's used-mem, as in Redis.
            String shown = info.get("loading_rdb_used_mem");
            for (Map<String, String> i = info; i.get("loading").equals("1") && "0".equals(shown);
                    i = cellar.persistenceInfo()) {
                shown = i.get("loading_rdb_used_mem");
            }
            assertThat(shown).as("INFO loading_rdb_used_mem while loading").isEqualTo(usedMem);
            cellar.awaitLoaded();
            assertThat(exec(cellar, "GET", "key:1")).isEqualTo(Reply.bulk("value:1"));
            assertThat(cellar.persistenceInfo()).containsEntry("loading", "0").containsEntry("rdb_last_load_keys_loaded", "300000");
            assertThat(during).as("the first command came while loading").isEqualTo(new Reply.Error("LOADING Redis is loading the dataset in memory"));
        }
    }

    /** The value of the AUX field {@code name} in the RDB file {@code file}, or null. */
    private static String auxField(Path file, String name) throws IOException {
        String[] found = {null};
        new RdbReader(RdbReader.Options.defaults()).listener(new RdbReader.Listener() {
            @Override
            public void aux(long offset, byte[] key, byte[] value) {
                if (new String(key, StandardCharsets.UTF_8).equals(name)) {
                    found[0] = new String(value, StandardCharsets.UTF_8);
                }
            }
        }).read(file, new dev.cellar.spi.persistence.LoadSink() {
            @Override
            public void put(int db, byte[] key, dev.cellar.spi.persistence.DataValue value, long expireAtMillis) {}

            @Override
            public String replay(int db, byte[][] argv) {
                return null;
            }
        });
        return found[0];
    }

    /** A file seam whose writes fail while switched on. */
    static final class FaultSwitch implements RdbFiles {
        volatile boolean failing;

        @Override
        public java.nio.channels.FileChannel open(Path file, java.nio.file.OpenOption... options) throws IOException {
            if (failing) {
                throw new IOException("No space left on device");
            }
            return RdbFiles.DEFAULT.open(file, options);
        }

        @Override
        public void move(Path source, Path target, java.nio.file.CopyOption... options) throws IOException {
            RdbFiles.DEFAULT.move(source, target, options);
        }
    }
}
