package dev.cellar.persistence.rdb;

import static dev.cellar.persistence.rdb.Model.canon;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Every fixture written by the real Redis loads with the contents Redis 7.0.15 shows for it. */
class FixturesTest {
    /** 2026-11-22, a day after all-encodings.rdb was written: its ttl:* keys have expired. */
    static final long DAY_AFTER = 1795267836_000L + 86_400_000L;

    static byte[] fixture(String name) throws IOException {
        try (InputStream in = FixturesTest.class.getResourceAsStream("/fixtures/" + name)) {
            assertThat(in).as(name).isNotNull();
            return in.readAllBytes();
        }
    }

    static Model.Sink load(String name, long now) throws IOException {
        Model.Sink sink = new Model.Sink();
        byte[] b = fixture(name);
        new RdbReader(RdbReader.Options.defaults().withClock(Model.clockAt(now))).read(RdbInput.of(b), sink, b.length);
        return sink;
    }

    static Object value(Model.Sink sink, int db, String key) {
        assertThat(sink.db(db)).containsKey(key);
        return canon(sink.db(db).get(key).value()).value();
    }

    @Test
    @DisplayName("encodings.rdb (version 4): 13 keys in ziplist, intset, linked and LZF encodings")
    void encodings() throws IOException {
        Model.Sink s = load("encodings.rdb", DAY_AFTER);
        assertThat(s.db(0)).hasSize(13);
        assertThat(value(s, 0, "compressible")).isEqualTo("a".repeat(((String) value(s, 0, "compressible")).length()));
        assertThat((String) value(s, 0, "compressible")).hasSizeGreaterThan(100);
        assertThat(value(s, 0, "number")).isEqualTo("10");
        assertThat(value(s, 0, "string")).isEqualTo("Hello World");
        assertThat(value(s, 0, "hash_zipped")).isEqualTo(Map.of("a", "1", "b", "2", "c", "3"));
        assertThat(((Map<?, ?>) value(s, 0, "hash")).get("eee")).isEqualTo("5000000000");
        assertThat(value(s, 0, "list_zipped")).isEqualTo(List.of("1", "2", "3", "a", "b", "c", "100000", "6000000000"));
        assertThat((List<?>) value(s, 0, "list")).hasSize(24);
        assertThat(value(s, 0, "set_zipped_1")).isEqualTo(Set.of("1", "2", "3", "4"));
        assertThat(value(s, 0, "set_zipped_3")).isEqualTo(Set.of("1000000000", "2000000000", "3000000000", "4000000000",
                "5000000000", "6000000000"));
        assertThat(value(s, 0, "set")).isEqualTo(Set.of("1", "100000", "2", "3", "6000000000", "a", "b", "c"));
        assertThat(value(s, 0, "zset_zipped")).isEqualTo(scores("a", 1, "b", 2, "c", 3));
        @SuppressWarnings("unchecked") Map<String, Double> zset = (Map<String, Double>) value(s, 0, "zset");
        assertThat(zset.keySet()).startsWith("a", "b", "c", "aa").endsWith("cccc", "bbbb");
        assertThat(zset.get("bbbb")).isEqualTo(5e9);
        assertThat(s.db(0).get("set_zipped_1").value().encoding()).isEqualTo("intset");
    }

    static Map<String, Double> scores(Object... pairs) {
        Map<String, Double> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put((String) pairs[i], ((Number) pairs[i + 1]).doubleValue());
        }
        return m;
    }

    @Test
    @DisplayName("zipmap (v3), ziplist hash (v9), quicklist v1 (v8) and ziplist zset (v10) load")
    void oldEncodings() throws IOException {
        assertThat(value(load("hash-zipmap.rdb", DAY_AFTER), 0, "hash")).isEqualTo(Map.of("f1", "v1", "f2", "v2"));
        assertThat(value(load("hash-ziplist.rdb", DAY_AFTER), 0, "hash")).isEqualTo(Map.of("f1", "v1", "f2", "v2"));
        Model.Sink ql = load("list-quicklist.rdb", DAY_AFTER);
        assertThat(value(ql, 0, "list")).isEqualTo(List.of("7"));
        assertThat(value(ql, 0, "x")).isEqualTo("7");
        assertThat(value(load("zset-ziplist.rdb", DAY_AFTER), 0, "zset")).isEqualTo(scores("one", 1, "two", 2));
    }

    @Test
    @DisplayName("scriptbackup.rdb has no keys; its lua AUX field is ignored")
    void scriptBackup() throws IOException {
        assertThat(load("scriptbackup.rdb", DAY_AFTER).size()).isZero();
    }

    @Test
    @DisplayName("corrupt_empty_keys.rdb: the nine empty keys are skipped, as Redis 7.0 does")
    void emptyKeysSkipped() throws IOException {
        Model.Sink sink = new Model.Sink();
        byte[] b = fixture("corrupt_empty_keys.rdb");
        RdbReader.Result r = new RdbReader(RdbReader.Options.defaults()).read(RdbInput.of(b), sink, b.length);
        assertThat(sink.size()).isZero();
        assertThat(r.emptySkipped()).isEqualTo(9);
        assertThat(r.checksum()).isEqualTo(RdbReader.ChecksumStatus.OK);
    }

    @Test
    @DisplayName("corrupt_ziplist.rdb fails cleanly with the offset of the bad blob and the key")
    void corruptZiplist() {
        assertThatThrownBy(() -> load("corrupt_ziplist.rdb", DAY_AFTER))
                .isInstanceOf(RdbFormatException.class)
                .hasMessageContaining("at offset 488")
                .hasMessageContaining("hash-ziplist integrity check failed")
                .hasMessageContaining("key:000000000091");
    }

    @Test
    @DisplayName("all-encodings.rdb: 811 keys in dbs 0, 3, 15; all 153 ttl:* dropped a day later, far:* kept with expiry")
    void allEncodings() throws IOException {
        Model.Sink atWrite = load("all-encodings.rdb", 1795267836_000L);
        assertThat(atWrite.size()).isEqualTo(811);
        assertThat(atWrite.dbs.keySet()).containsExactly(0, 3, 15);
        long ttlKeys = atWrite.dbs.values().stream().flatMap(m -> m.keySet().stream()).filter(k -> k.startsWith("ttl:")).count();
        assertThat(ttlKeys).isEqualTo(153); // 150 ttl:N and ttl:hash in each of the three dbs

        Model.Sink s = load("all-encodings.rdb", DAY_AFTER);
        assertThat(s.size()).isEqualTo(811 - 153);
        assertThat(s.db(0)).hasSize(222);
        assertThat(s.db(3)).hasSize(218);
        assertThat(s.db(15)).hasSize(218);
        assertThat(s.dbs.values().stream().flatMap(m -> m.keySet().stream())).noneMatch(k -> k.startsWith("ttl:"));
        for (String far : List.of("far:1", "far:2", "far:3", "far:list")) {
            assertThat(s.db(0).get(far).expireAt()).isEqualTo(4102444800000L);
        }
        assertThat(value(s, 0, "far:list")).isEqualTo(List.of("a", "b", "c"));
        assertThat(s.db(0).get("hash:small").expireAt()).isEqualTo(-1);

        assertThat(value(s, 0, "int:max")).isEqualTo("9223372036854775807");
        assertThat(value(s, 0, "int:neg")).isEqualTo("-9223372036854775808");
        assertThat(value(s, 0, "int:small")).isEqualTo("12345");
        assertThat(value(s, 0, "empty")).isEqualTo("");
        assertThat(value(s, 0, "big:compressible")).isEqualTo("a".repeat(100_000));
        assertThat((String) value(s, 0, "big:random")).hasSize(20_000);
        assertThat((String) value(s, 0, "bin")).hasSize(768);
        assertThat(value(s, 0, "s:0:5")).isEqualTo("v262950628");
        assertThat((Map<?, ?>) value(s, 0, "hash:small")).hasSize(3);
        assertThat((Map<?, ?>) value(s, 0, "hash:big")).hasSize(1000);
        assertThat((List<?>) value(s, 0, "list:big")).hasSize(3000);
        assertThat((List<?>) value(s, 0, "list:small")).hasSize(5);
        assertThat((Set<?>) value(s, 0, "set:int")).hasSize(100);
        assertThat((Set<?>) value(s, 0, "set:big")).hasSize(2000);
        assertThat((Set<?>) value(s, 0, "set:bigint")).hasSize(1000);
        assertThat((Set<?>) value(s, 0, "set:str")).hasSize(50);
        assertThat(value(s, 0, "zset:small")).isEqualTo(scores("e", Double.NEGATIVE_INFINITY, "c", -3, "a", 1, "b", 2.5,
                "d", Double.POSITIVE_INFINITY));
        Map<?, ?> big = (Map<?, ?>) value(s, 0, "zset:big");
        assertThat(big).hasSize(1500);
        assertThat(big.keySet().iterator().next()).isEqualTo("zm-619");
        assertThat(big.get("zm-619")).isEqualTo(-999506.26010689337);
        assertThat(big.get("zm-48")).isEqualTo(997612.18204993918);

        assertThat(s.db(0).get("hash:small").value().encoding()).isEqualTo("listpack");
        assertThat(s.db(0).get("hash:big").value().encoding()).isEqualTo("hashtable");
        assertThat(s.db(0).get("set:int").value().encoding()).isEqualTo("intset");
        assertThat(s.db(0).get("zset:small").value().encoding()).isEqualTo("listpack");
        assertThat(s.db(0).get("zset:big").value().encoding()).isEqualTo("skiplist");
        assertThat(s.db(0).get("int:max").value().encoding()).isEqualTo("int");
        assertThat(s.db(0).get("big:random").value().encoding()).isEqualTo("raw");
        assertThat(s.lastProgress).isEqualTo(fixture("all-encodings.rdb").length);
    }

    @Test
    @DisplayName("keys expired at load time are kept when dropping is off (AOF preamble)")
    void keepExpiredForPreamble() throws IOException {
        Model.Sink sink = new Model.Sink();
        byte[] b = fixture("all-encodings.rdb");
        new RdbReader(RdbReader.Options.defaults().withClock(Model.clockAt(DAY_AFTER)).withDropExpired(false))
                .read(RdbInput.of(b), sink, b.length);
        assertThat(sink.size()).isEqualTo(811);
    }

    @Test
    @DisplayName("reading from a stream gives the same result as from an array")
    void streamEqualsArray() throws IOException {
        Model.Sink fromStream = new Model.Sink();
        try (InputStream in = FixturesTest.class.getResourceAsStream("/fixtures/all-encodings.rdb")) {
            new RdbReader(RdbReader.Options.defaults().withClock(Model.clockAt(DAY_AFTER))).read(RdbInput.of(in), fromStream, 0);
        }
        Model.Sink fromArray = load("all-encodings.rdb", DAY_AFTER);
        assertThat(fromStream.size()).isEqualTo(fromArray.size());
        fromArray.dbs.forEach((db, keys) -> keys.forEach((k, e) -> {
            assertThat(canon(fromStream.db(db).get(k).value())).isEqualTo(canon(e.value()));
            assertThat(fromStream.db(db).get(k).expireAt()).isEqualTo(e.expireAt());
        }));
    }
}
