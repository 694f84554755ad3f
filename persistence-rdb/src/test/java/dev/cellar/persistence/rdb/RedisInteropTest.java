package dev.cellar.persistence.rdb;

import static dev.cellar.persistence.rdb.Model.b;
import static dev.cellar.persistence.rdb.Model.canon;
import static dev.cellar.persistence.rdb.Model.s;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cellar.api.CellarClock;
import dev.cellar.api.Reply;
import dev.cellar.core.testing.RedisServerProcess;
import dev.cellar.core.testing.RespClient;
import dev.cellar.spi.persistence.DataValue;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Interoperability with the real Redis 7.0 in both directions: Redis's dump.rdb read by Cellar,
 * Cellar's RDB loaded by Redis (and passed by redis-check-rdb), DUMP payloads both ways.
 */
class RedisInteropTest {
    private final long now = System.currentTimeMillis();
    private final DataSet data = new DataSet(now);

    /** Writes the data set into a running Redis (db 0, plus one key in db 9). */
    private void populate(RespClient c) throws IOException {
        for (DataSet.Key k : data.keys.values()) {
            for (byte[][] cmd : k.commands()) {
                c.send(cmd);
            }
        }
        c.send(DataSet.cmd("SELECT", "9"));
        c.send(DataSet.cmd("SET", "db9:key", "nine"));
        c.send(DataSet.cmd("SELECT", "0"));
        int replies = data.keys.values().stream().mapToInt(k -> k.commands().size()).sum() + 3;
        for (int i = 0; i < replies; i++) {
            assertThat(c.read()).isNotInstanceOf(Reply.Error.class);
        }
    }

    /** A key's value as Redis reports it, in the canonical form. */
    static Model.Canon fromRedis(RespClient c, String key) throws IOException {
        String type = (String) c.value("TYPE", key);
        switch (type) {
            case "string":
                return new Model.Canon("string", s((byte[]) c.value("GET", key)));
            case "list": {
                List<String> l = new ArrayList<>();
                for (Object o : (List<?>) c.value("LRANGE", key, "0", "-1")) {
                    l.add(s((byte[]) o));
                }
                return new Model.Canon("list", l);
            }
            case "hash": {
                Map<String, String> m = new TreeMap<>();
                List<?> r = (List<?>) c.value("HGETALL", key);
                for (int i = 0; i < r.size(); i += 2) {
                    m.put(s((byte[]) r.get(i)), s((byte[]) r.get(i + 1)));
                }
                return new Model.Canon("hash", m);
            }
            case "set": {
                TreeSet<String> m = new TreeSet<>();
                for (Object o : (List<?>) c.value("SMEMBERS", key)) {
                    m.add(s((byte[]) o));
                }
                return new Model.Canon("set", m);
            }
            case "zset": {
                Map<String, Double> m = new LinkedHashMap<>();
                List<?> r = (List<?>) c.value("ZRANGE", key, "0", "-1", "WITHSCORES");
                for (int i = 0; i < r.size(); i += 2) {
                    m.put(s((byte[]) r.get(i)), ValueReader.parseDouble((byte[]) r.get(i + 1)));
                }
                return new Model.Canon("zset", m);
            }
            default:
                throw new AssertionError("key " + key + " has type " + type);
        }
    }

    @Test
    @DisplayName("(a) a dump.rdb saved by Redis 7.0 reads back key by key: type, value, encoding, expiry to the ms")
    void readRedisDump(@TempDir Path dir) throws Exception {
        try (RedisServerProcess redis = RedisServerProcess.startIn(dir, "--dbfilename", "dump.rdb");
             RespClient c = redis.client(StandardCharsets.ISO_8859_1)) {
            populate(c);
            assertThat(c.value("SAVE")).isEqualTo("OK");
        }
        Model.Sink sink = new Model.Sink();
        RdbReader.Result r = new RdbReader(RdbReader.Options.defaults()).read(dir.resolve("dump.rdb"), sink);
        assertThat(r.version()).isEqualTo(10);
        assertThat(r.aux()).containsEntry("redis-ver", "7.0.15").containsKey("ctime");
        assertThat(r.checksum()).isEqualTo(RdbReader.ChecksumStatus.OK);
        assertThat(sink.db(0).keySet()).containsExactlyInAnyOrderElementsOf(data.keys.keySet());
        for (DataSet.Key k : data.keys.values()) {
            Model.Entry e = sink.db(0).get(k.name());
            assertThat(canon(e.value())).as(k.name()).isEqualTo(canon(k.value()));
            assertThat(e.expireAt()).as(k.name() + " expiry").isEqualTo(k.expireAt());
            if (!(k.value() instanceof DataValue.StringData) && !(k.value() instanceof DataValue.ListData)) {
                assertThat(e.value().encoding()).as(k.name() + " encoding").isEqualTo(k.value().encoding());
            }
        }
        assertThat(canon(sink.db(9).get("db9:key").value())).isEqualTo(new Model.Canon("string", "nine"));
    }

    @Test
    @DisplayName("(b) a Cellar RDB passes redis-check-rdb and Redis 7.0 loads it key by key, encodings kept")
    void redisLoadsCellarFile(@TempDir Path dir) throws Exception {
        String checker = RedisServerProcess.require("redis-check-rdb");
        List<RdbWriter.Options> variants = List.of(RdbWriter.Options.defaults(),
                RdbWriter.Options.defaults().withCompression(false).withChecksum(false).withListMaxListpackSize(7),
                RdbWriter.Options.defaults().withListMaxListpackSize(-5).withAofBase(true).withUsedMemory(12345));
        int n = 0;
        for (RdbWriter.Options options : variants) {
            Path sub = Files.createDirectory(dir.resolve("v" + n++));
            Model.Snapshot snap = data.snapshot(0);
            snap.put(9, "db9:key", RdbValues.string(b("nine")), -1);
            new RdbWriter(options).writeFile(snap, sub.resolve("cellar.rdb"));

            RedisServerProcess.Run check = RedisServerProcess.run(checker, sub.resolve("cellar.rdb").toString());
            assertThat(check.status()).as(check.output()).isZero();
            assertThat(check.output()).contains("RDB looks OK").contains(data.keys.size() + 1 + " keys read");

            try (RedisServerProcess redis = RedisServerProcess.startIn(sub, "--dbfilename", "cellar.rdb");
                 RespClient c = redis.client(StandardCharsets.ISO_8859_1)) {
                assertThat(c.value("DBSIZE")).isEqualTo((long) data.keys.size());
                for (DataSet.Key k : data.keys.values()) {
                    assertThat(fromRedis(c, k.name())).as(k.name()).isEqualTo(canon(k.value()));
                    long expected = k.expireAt();
                    assertThat(c.value("PEXPIRETIME", k.name())).as(k.name() + " expiry").isEqualTo(expected);
                    String enc = s((byte[]) c.value("OBJECT", "ENCODING", k.name()));
                    if (!(k.value() instanceof DataValue.StringData)) {
                        String want = k.value() instanceof DataValue.ListData ? "quicklist" : k.value().encoding();
                        assertThat(enc).as(k.name() + " encoding").isEqualTo(want);
                    }
                }
                assertThat(c.value("SELECT", "9")).isEqualTo("OK");
                assertThat(fromRedis(c, "db9:key")).isEqualTo(new Model.Canon("string", "nine"));
            }
        }
    }

    @Test
    @DisplayName("(c) DUMP payloads: Redis's restore in Cellar, Cellar's RESTORE in Redis; bad ones refused alike")
    void dumpPayloadsBothWays(@TempDir Path dir) throws Exception {
        RdbValueCodec codec = new RdbValueCodec();
        try (RedisServerProcess redis = RedisServerProcess.startIn(dir, "--dbfilename", "dump.rdb");
             RespClient c = redis.client(StandardCharsets.ISO_8859_1)) {
            populate(c);
            for (DataSet.Key k : data.keys.values()) {
                byte[] payload = (byte[]) c.value("DUMP", k.name());
                assertThat(canon(codec.restore(payload))).as("Redis DUMP of " + k.name()).isEqualTo(canon(k.value()));

                byte[] ours = codec.dump(k.value());
                Object reply = c.value(b("RESTORE"), b("r:" + k.name()), b("0"), ours);
                assertThat(reply).as("RESTORE of Cellar's dump of " + k.name()).isEqualTo("OK");
                assertThat(fromRedis(c, "r:" + k.name())).as(k.name()).isEqualTo(canon(k.value()));
            }
            byte[] good = codec.dump(RdbValues.string(b("some value")));
            byte[] bad = good.clone();
            bad[bad.length - 1] ^= 1;
            assertThat(c.value(b("RESTORE"), b("bad"), b("0"), bad))
                    .isEqualTo(new Reply.Error(RdbValueCodec.BAD_VERSION_OR_CHECKSUM));
            assertThatThrownBy(() -> codec.restore(bad)).hasMessage(RdbValueCodec.BAD_VERSION_OR_CHECKSUM);
            byte[] small = (byte[]) c.value("DUMP", "str:int");
            assertThat(codec.dump(RdbValues.string(b("12345")))).isEqualTo(small);
        }
    }

    static CellarClock system() {
        return CellarClock.SYSTEM;
    }
}
