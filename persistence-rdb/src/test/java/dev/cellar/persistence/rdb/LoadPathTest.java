package dev.cellar.persistence.rdb;

import static dev.cellar.persistence.rdb.Model.b;
import static dev.cellar.persistence.rdb.Model.s;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cellar.api.CellarConfig;
import dev.cellar.core.CellarEngine;
import dev.cellar.core.engine.Db;
import dev.cellar.core.engine.Dict;
import dev.cellar.spi.persistence.DataValue;
import dev.cellar.spi.persistence.LoadSink;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * RESIZEDB's hint on the loading path: it reaches the sink before the keys of its database,
 * bounded by what the bytes left in the file could hold, and the engine grows its tables to it.
 */
class LoadPathTest {
    private static final long FAR = 4102444800000L; // 2100-01-01

    @TempDir
    Path dir;

    /** Records every sink call as text. */
    static class Recorder implements LoadSink {
        final List<String> calls = new ArrayList<>();

        @Override
        public void put(int db, byte[] key, DataValue value, long expireAtMillis, long idle, int freq) {
            calls.add("put " + db + " " + s(key) + " " + Model.canon(value) + " " + expireAtMillis + " " + idle + " " + freq);
        }

        @Override
        public void put(int db, byte[] key, DataValue value, long expireAtMillis) {
            put(db, key, value, expireAtMillis, -1, -1);
        }

        @Override
        public void reserve(int db, long keys, long expires) {
            calls.add("reserve " + db + " " + keys + " " + expires);
        }

        @Override
        public void progress(long loadedBytes, long totalBytes) {
            calls.add("progress " + loadedBytes + " " + totalBytes);
        }

        @Override
        public String replay(int db, byte[][] argv) {
            throw new UnsupportedOperationException();
        }

        long count(String prefix) {
            return calls.stream().filter(c -> c.startsWith(prefix)).count();
        }

        int first(String prefix) {
            for (int i = 0; i < calls.size(); i++) {
                if (calls.get(i).startsWith(prefix)) {
                    return i;
                }
            }
            return -1;
        }
    }

    /** A snapshot whose RESIZEDB says {@code size} keys and {@code expires} expiries for every database. */
    static Model.Snapshot claiming(long size, long expires) {
        return new Model.Snapshot(16) {
            @Override
            public long size(int db) {
                return super.size(db) == 0 ? 0 : size;
            }

            @Override
            public long expiresSize(int db) {
                return super.size(db) == 0 ? 0 : expires;
            }
        };
    }

    /**
     * 6000 strings in db 0 (every tenth with an expiry), 300 in db 3 with three uncompressed
     * 700,000-byte values (the file spans many read buffers) and a list.
     */
    static Model.Snapshot large(Model.Snapshot s) {
        Random random = new Random(7);
        for (int i = 0; i < 6000; i++) {
            s.put(0, String.format("key:%012d", i), RdbValues.string(b("v" + i)), i % 10 == 0 ? FAR + i : -1);
        }
        for (int i = 0; i < 300; i++) {
            s.put(3, "k3:" + i, RdbValues.string(b(Integer.toString(i))), -1);
        }
        for (int i = 0; i < 3; i++) {
            byte[] big = new byte[700_000];
            random.nextBytes(big);
            s.put(3, "big" + i, RdbValues.string(big), -1);
        }
        s.put(3, "list", RdbValues.list(Model.bytesList("a", "b", "c")), -1);
        return s;
    }

    private Path write(Model.Snapshot s, String name) throws IOException {
        RdbOutput out = RdbOutput.buffer();
        new RdbWriter(RdbWriter.Options.defaults().withCompression(false)).write(s, out);
        Path p = dir.resolve(name);
        Files.write(p, out.toByteArray());
        return p;
    }

    private static RdbReader reader() {
        return new RdbReader(RdbReader.Options.defaults());
    }

    @Nested
    @DisplayName("RESIZEDB")
    class ResizeDb {
        @Test
        @DisplayName("each database's RESIZEDB reaches the sink before that database's first key")
        void hintBeforeKeys() throws IOException {
            Path f = write(large(new Model.Snapshot(16)), "large.rdb");
            Recorder r = new Recorder();
            reader().read(f, r);
            assertThat(r.count("reserve")).isEqualTo(2);
            assertThat(r.calls).contains("reserve 0 6000 600", "reserve 3 304 0");
            assertThat(r.first("reserve 0")).isLessThan(r.first("put 0"));
            assertThat(r.first("reserve 3")).isLessThan(r.first("put 3")).isGreaterThan(r.calls.lastIndexOf(
                    r.calls.stream().filter(c -> c.startsWith("put 0")).reduce((a, c) -> c).orElseThrow()));
        }

        @Test
        @DisplayName("a RESIZEDB of 2^40 keys is cut to what the bytes left in the file could hold")
        void bogusHintBoundedByFileSize() throws IOException {
            Model.Snapshot s = claiming(1L << 40, 1L << 40);
            s.put(0, "a", RdbValues.string(b("1")), FAR).put(0, "b", RdbValues.string(b("2")), -1);
            Path f = write(s, "bogus.rdb");
            long size = Files.size(f);
            Recorder r = new Recorder();
            RdbReader.Result result = reader().read(f, r);
            assertThat(result.keysLoaded()).isEqualTo(2);
            String hint = r.calls.get(r.first("reserve"));
            long[] n = Arrays.stream(hint.split(" ")).skip(2).mapToLong(Long::parseLong).toArray();
            assertThat(n[0]).isPositive().isLessThanOrEqualTo(size / RdbReader.MIN_KEY_BYTES);
            assertThat(n[1]).isPositive().isLessThanOrEqualTo(size / RdbReader.MIN_EXPIRING_KEY_BYTES);
        }

        @Test
        @DisplayName("from a stream of unknown size, a RESIZEDB hint is cut to a fixed bound")
        void bogusHintFromStream() throws IOException {
            Model.Snapshot s = claiming(1L << 40, 3);
            s.put(0, "a", RdbValues.string(b("1")), -1);
            RdbOutput out = RdbOutput.buffer();
            new RdbWriter(RdbWriter.Options.defaults()).write(s, out);
            Recorder r = new Recorder();
            reader().read(RdbInput.of(new ByteArrayInputStream(out.toByteArray())), r, 0);
            assertThat(r.calls).contains("reserve 0 " + RdbReader.UNSIZED_RESERVE_BYTES / RdbReader.MIN_KEY_BYTES + " 3");
        }

        @Test
        @DisplayName("the engine grows its tables to the hint's size before the keys: a file claiming 5000 keys leaves room for 5000")
        void engineFollowsHint() throws IOException {
            Model.Snapshot s = claiming(5000, 1000);
            for (int i = 0; i < 20; i++) { // 20,000 bytes: room for the claim within the file-size bound
                s.put(0, "k" + i, RdbValues.string(b("v".repeat(1000))), i < 5 ? FAR : -1);
            }
            write(s, "dump.rdb");
            try (CellarEngine cellar = open()) {
                Db db = cellar.engine().db(0);
                assertThat(db.size()).isEqualTo(20);
                assertThat(db.dict().capacity()).isEqualTo(capacityFor(5000));
                assertThat(db.expires().capacity()).isEqualTo(capacityFor(1000));
            }
        }

        @Test
        @DisplayName("a file claiming 2^40 keys loads into tables no larger than its size allows")
        void engineBoundsBogusHint() throws IOException {
            Model.Snapshot s = claiming(1L << 40, 1L << 40);
            for (int i = 0; i < 20; i++) {
                s.put(0, "k" + i, RdbValues.string(b("v")), i < 5 ? FAR : -1);
            }
            long size = Files.size(write(s, "dump.rdb"));
            try (CellarEngine cellar = open()) {
                Db db = cellar.engine().db(0);
                assertThat(db.size()).isEqualTo(20);
                assertThat(db.dict().capacity()).isLessThanOrEqualTo(capacityFor(size / RdbReader.MIN_KEY_BYTES));
                assertThat(db.expires().capacity()).isLessThanOrEqualTo(capacityFor(size / RdbReader.MIN_EXPIRING_KEY_BYTES));
            }
        }

        private CellarEngine open() {
            return new CellarEngine(CellarConfig.builder().set("cellar-persistence", "rdb").set("dir", dir.toString())
                    .set("save", "").set("hz", "1").build());
        }

        private static int capacityFor(long keys) {
            Dict d = new Dict();
            d.reserve(keys);
            return d.capacity();
        }
    }
}
