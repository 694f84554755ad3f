package dev.cellar.persistence.rdb;

import static dev.cellar.persistence.rdb.Model.b;
import static dev.cellar.persistence.rdb.Model.s;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The loading path's speed-ups keep its behaviour: RESIZEDB's hint reaches the sink, bounded by
 * what the file could hold, and reading ahead on a helper thread makes the same sink calls in the
 * same order, on the calling thread, with the same errors, as reading on one thread.
 */
class LoadPathTest {
    private static final long FAR = 4102444800000L; // 2100-01-01

    @TempDir
    Path dir;

    /** Records every sink call as text, and the threads it was called on. */
    static class Recorder implements LoadSink {
        final List<String> calls = new ArrayList<>();
        final Set<Thread> threads = Collections.synchronizedSet(new HashSet<>());
        int failAtPut = -1;
        int puts;

        @Override
        public void put(int db, byte[] key, DataValue value, long expireAtMillis, long idle, int freq) {
            threads.add(Thread.currentThread());
            if (++puts == failAtPut) {
                throw new IllegalStateException("sink full");
            }
            calls.add("put " + db + " " + s(key) + " " + Model.canon(value) + " " + expireAtMillis + " " + idle + " " + freq);
        }

        @Override
        public void put(int db, byte[] key, DataValue value, long expireAtMillis) {
            put(db, key, value, expireAtMillis, -1, -1);
        }

        @Override
        public void reserve(int db, long keys, long expires) {
            threads.add(Thread.currentThread());
            calls.add("reserve " + db + " " + keys + " " + expires);
        }

        @Override
        public void progress(long loadedBytes, long totalBytes) {
            threads.add(Thread.currentThread());
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
     * 6000 strings in db 0 (every tenth with an expiry), 300 in db 3, and three uncompressed
     * 700,000-byte values: more keys and more bytes than one hand-over batch holds.
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

    @Nested
    @DisplayName("reading ahead")
    class ReadingAhead {
        @Test
        @DisplayName("makes the same sink calls in the same order as reading on one thread, all on the calling thread")
        void sameCalls() throws IOException {
            Path f = write(large(new Model.Snapshot(16)), "large.rdb");
            Recorder one = new Recorder();
            RdbReader.Result expected = reader().read(f, one);
            Recorder ahead = new Recorder();
            RdbReader.Result result = reader().readAhead(f, ahead);
            assertThat(result).isEqualTo(expected);
            assertThat(result.keysLoaded()).isEqualTo(6304);
            assertThat(ahead.calls).isEqualTo(one.calls);
            assertThat(ahead.threads).containsExactly(Thread.currentThread());
        }

        @Test
        @DisplayName("a file cut anywhere, or with a wrong checksum, fails as on one thread, after the same keys")
        void sameFailures() throws IOException {
            Path f = write(large(new Model.Snapshot(16)), "large.rdb");
            byte[] full = Files.readAllBytes(f);
            List<byte[]> damaged = new ArrayList<>();
            for (int i = 1; i <= 23; i++) {
                damaged.add(Arrays.copyOf(full, (int) ((long) full.length * i / 24)));
            }
            byte[] flipped = full.clone();
            flipped[full.length / 3] ^= 0x01; // inside a big value: only the checksum notices
            damaged.add(flipped);
            Path cut = dir.resolve("cut.rdb");
            for (byte[] d : damaged) {
                Files.write(cut, d);
                Recorder one = new Recorder();
                Throwable expected = catchFailure(() -> reader().read(cut, one));
                Recorder ahead = new Recorder();
                Throwable actual = catchFailure(() -> reader().readAhead(cut, ahead));
                assertThat(expected).isInstanceOf(RdbFormatException.class);
                assertThat(actual).isInstanceOf(RdbFormatException.class).hasMessage(expected.getMessage());
                assertThat(ahead.calls).isEqualTo(one.calls);
            }
        }

        @Test
        @DisplayName("when the sink throws, the exception reaches the caller and the helper thread stops")
        void sinkFailureStopsHelper() throws Exception {
            Path f = write(large(new Model.Snapshot(16)), "large.rdb");
            Recorder r = new Recorder();
            r.failAtPut = 1500;
            assertThatThrownBy(() -> reader().readAhead(f, r)).isInstanceOf(IllegalStateException.class)
                    .hasMessage("sink full");
            assertThat(r.count("put")).isEqualTo(1499);
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (helperAlive() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(helperAlive()).as("cellar-rdb-read still running").isFalse();
        }

        @Test
        @DisplayName("an interrupted caller stops loading with an InterruptedIOException, and the helper stops")
        void interruptStops() throws Exception {
            Path f = write(large(new Model.Snapshot(16)), "large.rdb");
            Recorder r = new Recorder() {
                @Override
                public void put(int db, byte[] key, DataValue value, long expireAtMillis, long idle, int freq) {
                    super.put(db, key, value, expireAtMillis, idle, freq);
                    if (puts == 100) {
                        Thread.currentThread().interrupt();
                    }
                }
            };
            assertThatThrownBy(() -> reader().readAhead(f, r)).isInstanceOf(java.io.InterruptedIOException.class);
            assertThat(Thread.interrupted()).as("interrupt status kept").isTrue();
            assertThat(r.count("put")).isLessThan(6304);
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (helperAlive() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(helperAlive()).isFalse();
        }

        private boolean helperAlive() {
            return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals("cellar-rdb-read"));
        }
    }

    private interface Load {
        void run() throws IOException;
    }

    private static Throwable catchFailure(Load load) {
        try {
            load.run();
        } catch (Throwable t) {
            return t;
        }
        throw new AssertionError("expected a failure");
    }
}
