package dev.cellar.conformance;

import static dev.cellar.conformance.Capability.ATOMIC_REPLACEMENT;
import static dev.cellar.conformance.Capability.DETECTS_CORRUPTION;
import static dev.cellar.conformance.Capability.DURABLE_ON_EVERY_WRITE;
import static dev.cellar.conformance.Capability.FAULT_INJECTION;
import static dev.cellar.conformance.Capability.POINT_IN_TIME_SNAPSHOT;
import static dev.cellar.conformance.Capability.SURVIVES_TRUNCATED_TAIL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.fail;

import dev.cellar.api.Cellar;
import dev.cellar.api.Reply;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The persistence conformance kit. A provider's test subclasses it and implements
 * {@link #backend()}; every nested group below then runs against that provider, through the
 * public embedding API only ({@link Cellar#open}, {@link Cellar#execute}), on a {@link ManualClock}.
 *
 * <pre>{@code
 * class AofConformanceTest extends PersistenceConformance {
 *     @Override
 *     protected PersistenceBackend backend() {
 *         return PersistenceBackend.named("aof")
 *                 .capabilities(Capability.DURABLE_ON_EVERY_WRITE, Capability.SURVIVES_TRUNCATED_TAIL)
 *                 .setting("appendfsync", "always")
 *                 .build();
 *     }
 * }
 * }</pre>
 *
 * <p>Requirements: tests marked {@link Require} run only when the backend's {@link Capability}s
 * match and are otherwise reported as skipped with the reason. Where a missing capability has an
 * observable meaning a twin test checks the refusal ({@code SAVE} answered with an error, state
 * unchanged). A test that needs a command the engine does not have yet is reported as skipped
 * with the command's name. See {@code docs/conformance.md}.
 *
 * <p>Files: every test works in a fresh temporary directory, deleted afterwards; "reopen" means
 * {@code close()} then {@code Cellar.open} on the same directory; "a copy" means the backend's
 * data files copied to another directory, as a crash or a backup would leave them.
 */
@ExtendWith(RequireExtension.class)
public abstract class PersistenceConformance {
    /** The number of elements in a large collection (above every compact-encoding threshold). */
    protected static final int LARGE = 100_000;
    private static final long TEN_MB = 10L * 1024 * 1024;

    /** The clock every store of a test reads; tests move it, nothing sleeps. */
    protected final ManualClock clock = new ManualClock();

    private PersistenceBackend backend;
    private Path root;
    private final List<Cellar> openStores = new ArrayList<>();

    /** The backend under test: its provider name, capabilities, settings and data files. */
    protected abstract PersistenceBackend backend();

    final PersistenceBackend backendUnderTest() {
        if (backend == null) {
            backend = java.util.Objects.requireNonNull(backend(), "backend() returned null");
        }
        return backend;
    }

    @BeforeEach
    final void createWorkingDirectory(TestInfo test) throws IOException {
        // RequireExtension has already decided; this guards runs where the condition saw no instance.
        test.getTestMethod().ifPresent(m -> {
            String mismatch = RequireExtension.mismatch(backendUnderTest(), m, m.getDeclaringClass());
            Assumptions.assumeTrue(mismatch == null, mismatch);
        });
        root = Files.createTempDirectory("cellar-conformance-");
    }

    @AfterEach
    final void closeStoresAndDeleteFiles() {
        for (Cellar store : openStores) {
            try {
                store.close();
            } catch (RuntimeException ignored) {
                // a store a test left failing; its files are deleted next
            }
        }
        openStores.clear();
        Kit.deleteTree(root);
    }

    // ================================================================== helpers for the groups

    /** A new, empty directory for one store. */
    protected final Path directory(String name) {
        try {
            return Files.createDirectories(root.resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Opens a store on {@code dir} with the backend's configuration and the test's clock. */
    protected final Cellar open(Path dir) {
        Cellar store = Cellar.open(backendUnderTest().config(dir, clock));
        openStores.add(store);
        return store;
    }

    /** Closes {@code store} and opens a new one on the same directory. */
    protected final Cellar reopen(Cellar store, Path dir) {
        close(store);
        return open(dir);
    }

    private void close(Cellar store) {
        openStores.remove(store);
        store.close();
    }

    /** Copies {@code files} (inside {@code from}) to a new directory, keeping their relative paths. */
    protected final Path copy(Path from, List<Path> files, String name) {
        Path to = directory(name);
        try {
            for (Path file : files) {
                Path target = to.resolve(from.relativize(file));
                Files.createDirectories(target.getParent());
                Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return to;
    }

    private List<Path> dataFiles(Path dir) {
        List<Path> files = backendUnderTest().dataFiles(dir);
        assertThat(files).as("%s: data files in %s", backendUnderTest(), dir).isNotEmpty();
        return files;
    }

    private static Map<Path, byte[]> contents(List<Path> files) {
        Map<Path, byte[]> out = new LinkedHashMap<>();
        try {
            for (Path f : files) {
                out.put(f, Files.readAllBytes(f));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    private static void assertUnchanged(Map<Path, byte[]> before, String why) {
        Map<Path, byte[]> now = contents(new ArrayList<>(before.keySet()));
        before.forEach((file, bytes) -> assertThat(now.get(file))
                .as("%s: %s must be left byte for byte as it was", why, file.getFileName())
                .isEqualTo(bytes));
    }

    private static Reply call(Cellar store, int db, Object... args) {
        return Kit.call(store, db, args);
    }

    private static Reply raw(Cellar store, int db, Object... args) {
        return Kit.raw(store, db, args);
    }

    private static String get(Cellar store, int db, Object key) {
        Reply r = call(store, db, "GET", key);
        return r instanceof Reply.Bulk b ? Kit.latin1(b.value()) : null;
    }

    /** Adds elements to a collection in chunks of 1,000 with {@code command key element...}. */
    private static void addChunked(Cellar store, int db, String command, String key, List<?> elements) {
        for (int from = 0; from < elements.size(); from += 1000) {
            List<?> chunk = elements.subList(from, Math.min(elements.size(), from + 1000));
            Object[] args = new Object[chunk.size() + 2];
            args[0] = command;
            args[1] = key;
            for (int i = 0; i < chunk.size(); i++) {
                args[i + 2] = chunk.get(i);
            }
            call(store, db, args);
        }
    }

    private static List<String> numbered(String prefix, int count) {
        List<String> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(prefix + i);
        }
        return out;
    }

    private static byte[] randomBytes(long seed, int size) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    /**
     * Writes with {@code writes}, reads the data set, reopens and asserts the data set came back
     * exactly; returns the store after reopening.
     */
    private Cellar assertRoundTrip(String name, Consumer<Cellar> writes, int expectedKeys) {
        Path dir = directory(name);
        Cellar store = open(dir);
        writes.accept(store);
        DataSet before = DataSet.read(store);
        assertThat(before.keyCount()).as("keys written before closing").isEqualTo(expectedKeys);
        store = reopen(store, dir);
        DataSet after = DataSet.read(store);
        assertThat(before.differences(after, 20)).as("%s: what changed through close and reopen", backendUnderTest())
                .isEmpty();
        return store;
    }

    /** The full message of a failure: every cause's class and message, outermost first. */
    private static String fullMessage(Throwable t) {
        StringBuilder sb = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            sb.append(c.getClass().getName()).append(": ").append(c.getMessage()).append('\n');
        }
        return sb.toString();
    }

    /** Asserts that opening {@code dir} fails with a message that names {@code file} and says where or what failed. */
    private void assertRefusedAtOpen(Path dir, Path file, Pattern what) {
        Throwable refusal = catchThrowable(() -> open(dir));
        assertThat(refusal).as("%s: opening %s must fail", backendUnderTest(), file.getFileName()).isNotNull();
        String message = fullMessage(refusal);
        assertThat(message).as("the refusal must name the file").contains(file.getFileName().toString());
        assertThat(what.matcher(message).find())
                .as("the refusal must say where or what failed (%s); it said:%n%s", what.pattern(), message)
                .isTrue();
    }

    private static final Pattern WHERE_OR_CHECKSUM =
            Pattern.compile("(?i)(offset|position|byte)\\s*:?\\s*\\d+|checksum|crc");
    private static final Pattern WHERE_OR_TRUNCATED =
            Pattern.compile("(?i)(offset|position|byte)\\s*:?\\s*\\d+|truncated|unexpected end|end of file|eof");

    // ================================================================== round trip

    @Nested
    @DisplayName("Every value of every type comes back byte for byte after close and reopen")
    class RoundTrip {

        @Test
        @DisplayName("strings: empty, every byte value, integers, the int64 limits, long and 10 MB values")
        void strings() {
            byte[] everyByte = new byte[256];
            for (int i = 0; i < 256; i++) {
                everyByte[i] = (byte) i;
            }
            Map<String, byte[]> values = new LinkedHashMap<>();
            values.put("empty", new byte[0]);
            values.put("every-byte", everyByte);
            values.put("zero", Kit.arg("0"));
            values.put("negative", Kit.arg("-1"));
            values.put("int", Kit.arg("12345"));
            values.put("int64-max", Kit.arg(Long.toString(Long.MAX_VALUE)));
            values.put("int64-min", Kit.arg(Long.toString(Long.MIN_VALUE)));
            values.put("beyond-int64", Kit.arg("9223372036854775808"));
            values.put("padded-int", Kit.arg(" 12"));
            values.put("leading-zero", Kit.arg("007"));
            values.put("float", Kit.arg("3.14"));
            values.put("utf8", Kit.arg("caf\u00e9 \u2603 \ud83d\ude00"));
            values.put("short", Kit.arg("x".repeat(44)));
            values.put("long", Kit.arg("y".repeat(45)));
            values.put("random-64k", randomBytes(1, 64 * 1024));
            values.put("ten-megabytes", randomBytes(2, (int) TEN_MB));
            Cellar store = assertRoundTrip("strings", s -> values.forEach((k, v) -> call(s, 0, "SET", k, v)),
                    values.size());
            assertThat(get(store, 0, "empty")).isEmpty();
            assertThat(get(store, 0, "int64-min")).isEqualTo("-9223372036854775808");
            assertThat(Kit.latin1(get(store, 0, "every-byte"))).isEqualTo(everyByte);
            assertThat(get(store, 0, "ten-megabytes")).hasSize((int) TEN_MB);
        }

        @Test
        @DisplayName("keys of any bytes, 0x00 and 0xff included, and the empty key")
        void binaryKeys() {
            List<byte[]> keys = List.of(new byte[0], new byte[] {0}, new byte[] {(byte) 0xff, 0, (byte) 0x80},
                    randomBytes(3, 300), Kit.arg("\r\n*1\r\n$4\r\nPING\r\n"));
            Cellar store = assertRoundTrip("keys", s -> {
                for (int i = 0; i < keys.size(); i++) {
                    call(s, 0, "SET", keys.get(i), "value-" + i);
                }
            }, keys.size());
            assertThat(get(store, 0, new byte[] {0})).isEqualTo("value-1");
        }

        @Test
        @DisplayName("lists keep their order, small (listpack) and large (quicklist, 100,000 elements)")
        void lists() {
            Cellar store = assertRoundTrip("lists", s -> {
                call(s, 0, "RPUSH", "small", "a", "", "1", "-9223372036854775808", new byte[] {0, (byte) 0xff});
                addChunked(s, 0, "RPUSH", "large", numbered("element-", LARGE));
                call(s, 0, "RPUSH", "long-elements", "z".repeat(10_000), randomBytes(4, 70_000));
                call(s, 0, "LPUSH", "pushed-left", "3", "2", "1");
            }, 4);
            assertThat(((Reply.Int) call(store, 0, "LLEN", "large")).value()).isEqualTo(LARGE);
            assertThat(Kit.latin1(((Reply.Bulk) call(store, 0, "LINDEX", "large", "-1")).value()))
                    .isEqualTo("element-" + (LARGE - 1));
        }

        @Test
        @DisplayName("hashes, small (listpack), with a long value (hashtable) and large (100,000 fields)")
        void hashes() {
            Cellar store = assertRoundTrip("hashes", s -> {
                call(s, 0, "HSET", "small", "f", "v", "empty", "", "int", "-42", "bin", new byte[] {0, 1, (byte) 0xff});
                call(s, 0, "HSET", "long-value", "f", "v".repeat(65));
                List<String> fieldsAndValues = new ArrayList<>(2 * LARGE);
                for (int i = 0; i < LARGE; i++) {
                    fieldsAndValues.add("field-" + i);
                    fieldsAndValues.add(Integer.toString(i * 7));
                }
                addChunked(s, 0, "HSET", "large", fieldsAndValues);
            }, 3);
            assertThat(Kit.latin1(((Reply.Bulk) call(store, 0, "HGET", "large", "field-99999")).value()))
                    .isEqualTo(Integer.toString(99_999 * 7));
        }

        @Test
        @DisplayName("sets of integers (intset) and strings, small and large (100,000 members)")
        void sets() {
            Cellar store = assertRoundTrip("sets", s -> {
                call(s, 0, "SADD", "small-ints", "1", "-1", "9223372036854775807", "-9223372036854775808");
                call(s, 0, "SADD", "small-strings", "a", "", new byte[] {0, (byte) 0xff});
                List<String> ints = new ArrayList<>();
                for (int i = 0; i < LARGE; i++) {
                    ints.add(Integer.toString(i * 3 - LARGE));
                }
                addChunked(s, 0, "SADD", "large-ints", ints);
                addChunked(s, 0, "SADD", "large-strings", numbered("member-", LARGE));
            }, 4);
            assertThat(((Reply.Int) call(store, 0, "SCARD", "large-strings")).value()).isEqualTo(LARGE);
        }

        @Test
        @DisplayName("sorted sets keep every score exactly: inf, -inf, fractions, extremes; small and large (100,000 members)")
        void sortedSets() {
            Cellar store = assertRoundTrip("zsets", s -> {
                call(s, 0, "ZADD", "small", "+inf", "top", "-inf", "bottom", "0", "zero", "1.5", "half",
                        "0.1", "tenth", "-2.5", "negative", "1e308", "huge", "4.9e-324", "tiny",
                        "123456789.123456789", "long-fraction");
                List<String> scoresAndMembers = new ArrayList<>(2 * LARGE);
                for (int i = 0; i < LARGE; i++) {
                    scoresAndMembers.add(Double.toString(i / 7.0));
                    scoresAndMembers.add("member-" + i);
                }
                addChunked(s, 0, "ZADD", "large", scoresAndMembers);
                call(s, 0, "ZADD", "long-member", "1", "m".repeat(65));
            }, 3);
            Reply top = call(store, 0, "ZSCORE", "small", "top");
            assertThat(top instanceof Reply.Double d ? d.value() == Double.POSITIVE_INFINITY
                    : Kit.latin1(((Reply.Bulk) top).value()).equals("inf")).as("score of 'top' is +inf").isTrue();
        }

        @Test
        @DisplayName("only the last write to a key counts: overwritten, deleted and re-typed keys come back as left")
        void lastWriteWins() {
            Cellar store = assertRoundTrip("overwrites", s -> {
                call(s, 0, "SET", "overwritten", "first");
                call(s, 0, "SET", "overwritten", "second");
                call(s, 0, "SET", "deleted", "x");
                call(s, 0, "DEL", "deleted");
                call(s, 0, "SADD", "retyped", "member");
                call(s, 0, "DEL", "retyped");
                call(s, 0, "HSET", "retyped", "field", "value");
                call(s, 0, "SADD", "shrunk", "a", "b", "c");
                call(s, 0, "SREM", "shrunk", "b");
                call(s, 0, "HSET", "emptied", "f", "v");
                call(s, 0, "HDEL", "emptied", "f");
                call(s, 0, "SET", "last", "written last");
            }, 4);
            assertThat(get(store, 0, "overwritten")).isEqualTo("second");
            assertThat(((Reply.Int) call(store, 0, "EXISTS", "deleted", "emptied")).value()).isZero();
            assertThat(get(store, 0, "last")).isEqualTo("written last");
        }

        @Test
        @DisplayName("a store never written to opens empty, and so does one whose keys were all deleted")
        void emptyStores() {
            Path dir = directory("empty");
            Cellar store = reopen(open(dir), dir);
            assertThat(DataSet.read(store).keyCount()).isZero();
            call(store, 0, "SET", "k", "v");
            call(store, 3, "SADD", "s", "m");
            call(store, 0, "DEL", "k");
            call(store, 3, "DEL", "s");
            store = reopen(store, dir);
            assertThat(DataSet.read(store).keyCount()).isZero();
        }

        @Test
        @DisplayName("a store reopened several times keeps every generation's writes")
        void severalGenerations() {
            Path dir = directory("generations");
            Cellar store = open(dir);
            for (int generation = 0; generation < 4; generation++) {
                call(store, 0, "SET", "generation-" + generation, "written in " + generation);
                call(store, 0, "SET", "latest", Integer.toString(generation));
                store = reopen(store, dir);
            }
            for (int generation = 0; generation < 4; generation++) {
                assertThat(get(store, 0, "generation-" + generation)).isEqualTo("written in " + generation);
            }
            assertThat(get(store, 0, "latest")).isEqualTo("3");
        }
    }

    // ================================================================== expiries

    @Nested
    @DisplayName("Expiry times survive to the millisecond, and keys that expired while closed are gone")
    class Expiries {
        private final long t0 = clock.currentTimeMillis();

        @Test
        @DisplayName("a string's absolute expiry is kept to the millisecond")
        void stringExpiryKeptExactly() {
            Path dir = directory("expiry");
            Cellar store = open(dir);
            call(store, 0, "SET", "in-a-second", "v", "PXAT", t0 + 1_001);
            call(store, 0, "SET", "in-a-day", "v", "PXAT", t0 + 86_400_007);
            call(store, 0, "SET", "in-ten-years", "v", "PXAT", t0 + 315_569_260_003L);
            call(store, 0, "SET", "never", "v");
            store = reopen(store, dir);
            assertThat(expireAt(store, "in-a-second")).isEqualTo(t0 + 1_001);
            assertThat(expireAt(store, "in-a-day")).isEqualTo(t0 + 86_400_007);
            assertThat(expireAt(store, "in-ten-years")).isEqualTo(t0 + 315_569_260_003L);
            assertThat(expireAt(store, "never")).isEqualTo(-1);
        }

        @Test
        @DisplayName("expiries of lists, hashes, sets and sorted sets are kept to the millisecond")
        void collectionExpiryKeptExactly() {
            Path dir = directory("expiry-collections");
            Cellar store = open(dir);
            call(store, 0, "RPUSH", "list", "a");
            call(store, 0, "HSET", "hash", "f", "v");
            call(store, 0, "SADD", "set", "m");
            call(store, 0, "ZADD", "zset", "1", "m");
            String[] keys = {"list", "hash", "set", "zset"};
            for (int i = 0; i < keys.length; i++) {
                call(store, 0, "PEXPIREAT", keys[i], t0 + 5_000 + i);
            }
            store = reopen(store, dir);
            for (int i = 0; i < keys.length; i++) {
                assertThat(expireAt(store, keys[i])).as(keys[i]).isEqualTo(t0 + 5_000 + i);
            }
        }

        @Test
        @DisplayName("keys whose time passed while the store was closed are gone after reopening; the others stay")
        void expiredWhileClosed() {
            Path dir = directory("expired-while-closed");
            Cellar store = open(dir);
            call(store, 0, "SET", "short", "v", "PXAT", t0 + 1_000);
            call(store, 0, "SET", "exactly-now", "v", "PXAT", t0 + 2_000);
            call(store, 0, "SET", "long", "v", "PXAT", t0 + 2_001);
            call(store, 5, "SET", "short-in-db5", "v", "PXAT", t0 + 1_500);
            call(store, 0, "SET", "persistent", "v");
            close(store);
            clock.advanceMillis(2_000);
            store = open(dir);
            for (String gone : List.of("short", "exactly-now")) {
                assertThat(get(store, 0, gone)).as("'%s' expired while closed", gone).isNull();
            }
            assertThat(get(store, 5, "short-in-db5")).isNull();
            assertThat(keys(store, 0)).containsExactlyInAnyOrder("long", "persistent");
            assertThat(keys(store, 5)).isEmpty();
            assertThat(expireAt(store, "long")).isEqualTo(t0 + 2_001);
        }

        @Test
        @DisplayName("a key that expired and was removed while open stays removed, even if the clock is turned back")
        void expiredWhileOpenStaysRemoved() {
            Path dir = directory("expired-while-open");
            Cellar store = open(dir);
            call(store, 0, "SET", "brief", "v", "PXAT", t0 + 100);
            clock.advanceMillis(200);
            assertThat(get(store, 0, "brief")).isNull();
            close(store);
            clock.setMillis(t0);
            store = open(dir);
            assertThat(get(store, 0, "brief")).as("the removal was persisted, not just hidden by the clock").isNull();
        }

        @Test
        @DisplayName("removing an expiry by overwriting the key survives reopening")
        void removedExpiryStaysRemoved() {
            Path dir = directory("expiry-removed");
            Cellar store = open(dir);
            call(store, 0, "SET", "k", "old", "PXAT", t0 + 1_000);
            call(store, 0, "SET", "k", "new");
            store = reopen(store, dir);
            clock.advanceMillis(5_000);
            assertThat(get(store, 0, "k")).isEqualTo("new");
            assertThat(expireAt(store, "k")).isEqualTo(-1);
        }

        private long expireAt(Cellar store, String key) {
            return ((Reply.Int) call(store, 0, "PEXPIRETIME", key)).value();
        }
    }

    private static List<String> keys(Cellar store, int db) {
        List<String> out = new ArrayList<>();
        for (Reply r : ((Reply.Array) call(store, db, "KEYS", "*")).items()) {
            out.add(Kit.latin1(((Reply.Bulk) r).value()));
        }
        return out;
    }

    // ================================================================== databases

    @Nested
    @DisplayName("Each of the 16 databases keeps its own keys")
    class Databases {

        @Test
        @DisplayName("the same key name in all 16 databases comes back with each database's own value and type")
        void allSixteen() {
            Cellar store = assertRoundTrip("databases", s -> {
                assertThat(s.databases()).as("databases").isEqualTo(16);
                for (int db = 0; db < 16; db++) {
                    call(s, db, "SET", "shared-name", "value of db " + db);
                    if (db % 2 == 0) {
                        call(s, db, "SADD", "only-in-even-" + db, "m");
                    } else {
                        call(s, db, "HSET", "only-in-odd-" + db, "f", Integer.toString(db));
                    }
                }
            }, 32);
            for (int db = 0; db < 16; db++) {
                assertThat(get(store, db, "shared-name")).isEqualTo("value of db " + db);
                assertThat(keys(store, db)).hasSize(2);
            }
        }

        @Test
        @DisplayName("data only in the last database comes back there, and the first stays empty")
        void onlyTheLastDatabase() {
            Cellar store = assertRoundTrip("last-database", s -> call(s, 15, "SET", "k", "v"), 1);
            assertThat(get(store, 15, "k")).isEqualTo("v");
            assertThat(keys(store, 0)).isEmpty();
        }
    }

    // ================================================================== durability

    @Nested
    @DisplayName("An acknowledged write is on disk before the command returns")
    @Require(present = DURABLE_ON_EVERY_WRITE)
    class Durability {

        @Test
        @DisplayName("a copy of the files taken while the store is open, as a crash leaves them, holds every acknowledged write")
        void crashCopyHoldsEveryAcknowledgedWrite() {
            Path dir = directory("durable");
            Cellar store = open(dir);
            int written = 0;
            for (int checkpoint : new int[] {1, 10, 200}) {
                while (written < checkpoint) {
                    call(store, 0, "SET", "key-" + written, "value-" + written);
                    written++;
                }
                call(store, 1, "SADD", "set", "member-" + checkpoint);
                Cellar copy = open(copy(dir, dataFiles(dir), "crash-after-" + checkpoint));
                assertThat(keys(copy, 0)).as("keys on disk after %d acknowledged writes", checkpoint)
                        .hasSize(checkpoint);
                assertThat(get(copy, 0, "key-" + (checkpoint - 1))).isEqualTo("value-" + (checkpoint - 1));
                assertThat(((Reply.Int) call(copy, 1, "SISMEMBER", "set", "member-" + checkpoint)).value())
                        .isEqualTo(1);
                close(copy);
            }
        }
    }

    // ================================================================== snapshots

    @Nested
    @DisplayName("SAVE and BGSAVE write one point in time, or are refused")
    class Snapshots {

        @Test
        @Require(present = POINT_IN_TIME_SNAPSHOT)
        @DisplayName("SAVE writes a snapshot that a new store loads, without the writes that came after it")
        void saveThenLoadTheCopy() {
            Path dir = directory("save");
            Cellar store = open(dir);
            for (int i = 0; i < 100; i++) {
                call(store, i % 16, "SET", "key-" + i, "value-" + i);
            }
            call(store, 0, "HSET", "hash", "f", "v");
            DataSet atSave = DataSet.read(store);
            assertThat(call(store, 0, "SAVE")).isEqualTo(new Reply.Simple("OK"));
            call(store, 0, "SET", "after-save", "x");
            call(store, 0, "DEL", "key-0");
            Path saved = copy(dir, backendUnderTest().snapshotFiles(dir), "snapshot-copy");
            Cellar copy = open(saved);
            assertThat(atSave.differences(DataSet.read(copy), 20)).as("the snapshot against the data at SAVE").isEmpty();
        }

        @Test
        @Require(present = POINT_IN_TIME_SNAPSHOT)
        @DisplayName("BGSAVE under concurrent writes keeps everything acknowledged before it, nothing issued after it, and never splits a command")
        void backgroundSaveIsOnePointInTime() throws Exception {
            Path dir = directory("bgsave");
            Cellar store = open(dir);
            addChunked(store, 0, "SADD", "ballast", numbered("member-", 20_000));
            for (int i = 0; i < 5_000; i++) {
                call(store, 1, "SET", "ballast-" + i, "v".repeat(100));
            }
            call(store, 0, "MSET", "counter:probe", "0", "mirror:probe", "0"); // skips here, not in a writer, without MSET
            int writers = 4;
            AtomicLongArray issued = new AtomicLongArray(writers);
            AtomicLongArray acknowledged = new AtomicLongArray(writers);
            AtomicBoolean stop = new AtomicBoolean();
            AtomicReference<Throwable> writerFailure = new AtomicReference<>();
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < writers; t++) {
                int id = t;
                Thread thread = new Thread(() -> {
                    try {
                        for (long n = 1; !stop.get(); n++) {
                            issued.set(id, n);
                            // One command writes both keys: any snapshot must show them equal.
                            call(store, 0, "MSET", "counter:" + id, n, "mirror:" + id, n);
                            acknowledged.set(id, n);
                        }
                    } catch (Throwable e) {
                        writerFailure.compareAndSet(null, e);
                    }
                }, "conformance-writer-" + t);
                thread.start();
                threads.add(thread);
            }
            try {
                awaitAcknowledged(acknowledged, 50, writerFailure);
                long[] acknowledgedBefore = snapshot(acknowledged);
                Reply started = call(store, 0, "BGSAVE");
                assertThat(started).isEqualTo(new Reply.Simple("Background saving started"));
                awaitBackgroundSave(store);
                long[] issuedAfter = snapshot(issued);
                awaitAcknowledged(acknowledged, java.util.Arrays.stream(issuedAfter).max().orElse(0) + 20, writerFailure);
                stop.set(true);
                for (Thread thread : threads) {
                    thread.join(TimeUnit.SECONDS.toMillis(30));
                }
                assertThat(writerFailure.get()).as("a writer failed").isNull();

                Cellar copy = open(copy(dir, backendUnderTest().snapshotFiles(dir), "bgsave-copy"));
                assertThat(((Reply.Int) call(copy, 0, "SCARD", "ballast")).value()).isEqualTo(20_000);
                assertThat(keys(copy, 1)).hasSize(5_000);
                for (int t = 0; t < writers; t++) {
                    String counter = get(copy, 0, "counter:" + t);
                    String mirror = get(copy, 0, "mirror:" + t);
                    assertThat(mirror).as("writer %d: both keys of one MSET in the snapshot", t).isEqualTo(counter);
                    long n = counter == null ? 0 : Long.parseLong(counter);
                    assertThat(n).as("writer %d: acknowledged before BGSAVE was issued", t)
                            .isGreaterThanOrEqualTo(acknowledgedBefore[t]);
                    assertThat(n).as("writer %d: issued after BGSAVE completed", t).isLessThanOrEqualTo(issuedAfter[t]);
                }
            } finally {
                stop.set(true);
                for (Thread thread : threads) {
                    thread.join(TimeUnit.SECONDS.toMillis(30));
                }
            }
        }

        @Test
        @Require(absent = POINT_IN_TIME_SNAPSHOT)
        @DisplayName("without snapshots, SAVE and BGSAVE are refused with an error, and neither the data nor the files change")
        void snapshotsRefused() {
            Path dir = directory("no-snapshots");
            Cellar store = open(dir);
            call(store, 0, "SET", "k", "v");
            call(store, 2, "HSET", "h", "f", "v");
            DataSet before = DataSet.read(store);
            Map<Path, byte[]> files = contents(backendUnderTest().dataFiles(dir));
            for (String command : List.of("SAVE", "BGSAVE")) {
                Reply reply = raw(store, 0, command);
                assertThat(reply).as("%s on %s", command, backendUnderTest()).isInstanceOf(Reply.Error.class);
                assertThat(((Reply.Error) reply).message()).as("%s's error message", command).isNotBlank();
            }
            assertThat(before.differences(DataSet.read(store), 20)).isEmpty();
            assertUnchanged(files, "a refused SAVE");
            call(store, 0, "SET", "still-writable", "yes");
            store = reopen(store, dir);
            assertThat(get(store, 0, "still-writable")).isEqualTo("yes");
        }

        private void awaitAcknowledged(AtomicLongArray acknowledged, long atLeast, AtomicReference<Throwable> failure)
                throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            for (int t = 0; t < acknowledged.length(); t++) {
                while (acknowledged.get(t) < atLeast) {
                    if (failure.get() != null) {
                        throw new AssertionError("a writer failed", failure.get());
                    }
                    if (System.nanoTime() > deadline) {
                        fail("writers made no progress for 60 s");
                    }
                    Thread.sleep(1);
                }
            }
        }

        private long[] snapshot(AtomicLongArray values) {
            long[] out = new long[values.length()];
            for (int i = 0; i < out.length; i++) {
                out[i] = values.get(i);
            }
            return out;
        }
    }

    /**
     * Waits (on the wall clock: this is a bound on the test, not data time) until INFO persistence
     * shows no background save in progress, and asserts that the last one succeeded.
     */
    private static void awaitBackgroundSave(Cellar store) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (true) {
            Map<String, String> info = info(store, "persistence");
            if ("0".equals(info.get("rdb_bgsave_in_progress"))) {
                assertThat(info.get("rdb_last_bgsave_status")).as("rdb_last_bgsave_status").isEqualTo("ok");
                return;
            }
            if (System.nanoTime() > deadline) {
                fail("BGSAVE did not finish within 120 s: " + info);
            }
            Thread.sleep(5);
        }
    }

    private static Map<String, String> info(Cellar store, String section) {
        Reply reply = call(store, 0, "INFO", section);
        String text = reply instanceof Reply.Bulk b ? new String(b.value(), StandardCharsets.UTF_8)
                : reply.toString();
        Map<String, String> fields = new HashMap<>();
        for (String line : text.split("\r?\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && !line.startsWith("#")) {
                fields.put(line.substring(0, colon), line.substring(colon + 1).trim());
            }
        }
        return fields;
    }

    // ================================================================== corruption

    @Nested
    @DisplayName("A damaged file is refused with a message that says where, or loaded up to its last whole record")
    class DamagedFiles {

        @Test
        @Require(present = DETECTS_CORRUPTION)
        @DisplayName("a flipped bit is refused at open with the file and the offset or checksum named, and the file is left as it was")
        void flippedBitRefused() throws IOException {
            Path dir = directory("bitflip");
            Cellar store = open(dir);
            byte[] marker = randomBytes(42, 4096);
            call(store, 0, "SET", "before", "v");
            call(store, 0, "SET", "marked", marker);
            call(store, 0, "SET", "after", "v");
            close(store);

            Path damaged = copy(dir, dataFiles(dir), "bitflip-copy");
            Path file = null;
            long offset = -1;
            for (Path f : dataFiles(damaged)) {
                long at = indexOf(Files.readAllBytes(f), marker);
                if (at >= 0) {
                    file = f;
                    offset = at + marker.length / 2;
                    break;
                }
            }
            if (file == null) {
                // The value is not stored verbatim (an encrypted or transformed format): flip a bit
                // in the middle of the largest file instead.
                file = dataFiles(damaged).stream().max(java.util.Comparator.comparingLong(PersistenceConformance::size))
                        .orElseThrow();
                offset = size(file) / 2;
            }
            byte[] bytes = Files.readAllBytes(file);
            bytes[(int) offset] ^= 0x10;
            Files.write(file, bytes);
            Map<Path, byte[]> asDamaged = contents(dataFiles(damaged));

            assertRefusedAtOpen(damaged, file, WHERE_OR_CHECKSUM);
            assertUnchanged(asDamaged, "a refused open");
        }

        @Test
        @Require(present = DETECTS_CORRUPTION, absent = SURVIVES_TRUNCATED_TAIL)
        @DisplayName("a truncated file is refused at open with the file and where it ends named, and the file is left as it was")
        void truncatedFileRefused() throws IOException {
            Path dir = directory("truncated");
            Cellar store = open(dir);
            for (int i = 0; i < 50; i++) {
                call(store, 0, "SET", "key-" + i, "value-" + i);
            }
            close(store);
            for (double keep : new double[] {0.5, 0.999}) {
                Path damaged = copy(dir, dataFiles(dir), "truncated-" + keep);
                List<Path> files = dataFiles(damaged);
                Path last = files.get(files.size() - 1);
                long cut = Math.max(1, Math.min(size(last) - 1, (long) (size(last) * keep)));
                truncate(last, cut);
                Map<Path, byte[]> asDamaged = contents(files);
                assertRefusedAtOpen(damaged, last, WHERE_OR_TRUNCATED);
                assertUnchanged(asDamaged, "a refused open");
            }
        }

        @Test
        @Require(present = SURVIVES_TRUNCATED_TAIL)
        @DisplayName("a file cut anywhere in its last records loads exactly the writes before the cut, never half a write")
        void truncatedTailLoadsAPrefix() throws IOException {
            Path dir = directory("torn-tail");
            Cellar store = open(dir);
            int writes = 30;
            for (int i = 0; i < writes; i++) {
                call(store, 0, "SET", "key-" + i, "value-" + i + "-" + "x".repeat(i));
            }
            close(store);
            List<Path> files = dataFiles(dir);
            Path last = files.get(files.size() - 1);
            long size = size(last);
            int previous = writes;
            for (long cut = size - 1; cut >= Math.max(0, size - 400); cut -= cut > size - 64 ? 1 : 7) {
                Path damaged = copy(dir, files, "cut-" + cut);
                truncate(damaged.resolve(dir.relativize(last)), cut);
                Cellar loaded = open(damaged);
                int present = 0;
                while (present < writes && get(loaded, 0, "key-" + present) != null) {
                    assertThat(get(loaded, 0, "key-" + present))
                            .isEqualTo("value-" + present + "-" + "x".repeat(present));
                    present++;
                }
                assertThat(keys(loaded, 0)).as("cut at byte %d of %d: the keys loaded are the first %d writes", cut,
                        size, present).hasSize(present);
                if (cut == size - 1) {
                    assertThat(present).as("one byte cut from the end drops exactly the last write").isEqualTo(writes - 1);
                }
                assertThat(present).as("a shorter file never loads more writes").isLessThanOrEqualTo(previous);
                previous = present;
                close(loaded);
                Kit.deleteTree(damaged);
            }
            assertThat(previous).as("400 bytes cut drop at least one write").isLessThan(writes);
        }

        @Test
        @Require(present = SURVIVES_TRUNCATED_TAIL)
        @DisplayName("writes made after loading a torn file are kept when the store is reopened")
        void writesAfterATornTailAreKept() throws IOException {
            Path dir = directory("torn-then-written");
            Cellar store = open(dir);
            for (int i = 0; i < 10; i++) {
                call(store, 0, "SET", "key-" + i, "value-" + i);
            }
            close(store);
            List<Path> files = dataFiles(dir);
            Path last = files.get(files.size() - 1);
            truncate(last, size(last) - 3);
            store = open(dir);
            assertThat(get(store, 0, "key-9")).isNull();
            call(store, 0, "SET", "written-after", "yes");
            store = reopen(store, dir);
            assertThat(get(store, 0, "written-after")).isEqualTo("yes");
            assertThat(keys(store, 0)).hasSize(10);
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void truncate(Path file, long length) throws IOException {
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(file,
                java.nio.file.StandardOpenOption.WRITE)) {
            ch.truncate(length);
        }
    }

    private static long indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    // ================================================================== failed writes

    @Nested
    @DisplayName("A failed write is reported and costs nothing already acknowledged")
    @Require(present = FAULT_INJECTION)
    class FailedWrites {

        @Test
        @DisplayName("a full disk is reported, and once there is room again the store reopens with exactly what it held")
        void diskFull() {
            failAndRecover(FileFaults.Fault.DISK_FULL);
        }

        @Test
        @DisplayName("a write error is reported, and once the device recovers the store reopens with exactly what it held")
        void writeError() {
            failAndRecover(FileFaults.Fault.WRITE_ERROR);
        }

        @Test
        @Require(present = ATOMIC_REPLACEMENT)
        @DisplayName("a snapshot that fails for a full disk leaves the previous snapshot byte for byte")
        void failedSnapshotKeepsThePreviousOne() {
            Path dir = directory("failed-save");
            FileFaults faults = new FileFaults();
            backendUnderTest().injectFaults(dir, faults);
            Cellar store = open(dir);
            call(store, 0, "SET", "saved", "first");
            call(store, 0, "SAVE");
            Map<Path, byte[]> previous = contents(backendUnderTest().snapshotFiles(dir));
            call(store, 0, "SET", "saved", "second");
            addChunked(store, 0, "RPUSH", "bulk", numbered("element-", 10_000));
            faults.inject(FileFaults.Fault.DISK_FULL, 100);
            Reply reply = raw(store, 0, "SAVE");
            assertThat(reply).as("SAVE on a full disk").isInstanceOf(Reply.Error.class);
            assertUnchanged(previous, "a failed SAVE");
            faults.clear();
            Cellar copy = open(copy(dir, backendUnderTest().snapshotFiles(dir), "previous-snapshot"));
            assertThat(get(copy, 0, "saved")).isEqualTo("first");
        }

        /**
         * Writes a first data set, injects {@code fault}, goes on writing (each write acknowledged
         * or failed), issues SAVE when the backend has snapshots, then clears the fault, writes
         * once more and closes: the reopened store must hold exactly what the store held at close,
         * and at least one failure must have been reported while the fault lasted.
         */
        private void failAndRecover(FileFaults.Fault fault) {
            Path dir = directory("faults");
            FileFaults faults = new FileFaults();
            backendUnderTest().injectFaults(dir, faults);
            Cellar store = open(dir);
            for (int i = 0; i < 100; i++) {
                call(store, 0, "SET", "before-" + i, "value-" + i);
            }
            close(store);
            backendUnderTest().injectFaults(dir, faults);
            store = open(dir);

            faults.inject(fault, 37);
            int reported = 0;
            List<String> acknowledged = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                if (attempt(store, "SET", "during-" + i, "value-" + i)) {
                    acknowledged.add("during-" + i);
                } else {
                    reported++;
                }
            }
            if (backendUnderTest().has(POINT_IN_TIME_SNAPSHOT) && !attempt(store, "SAVE")) {
                reported++;
            }
            assertThat(faults.failures()).as("%s must do its file I/O through the kit's FileFaults",
                    backendUnderTest()).isPositive();
            assertThat(reported).as("failures reported to clients while the fault lasted").isPositive();

            faults.clear();
            call(store, 0, "SET", "after", "recovered");
            if (backendUnderTest().has(POINT_IN_TIME_SNAPSHOT)) {
                call(store, 0, "SAVE");
            }
            DataSet atClose = DataSet.read(store);
            for (String key : acknowledged) {
                assertThat(atClose.entry(0, key)).as("acknowledged '%s' in memory", key).isNotNull();
            }
            store = reopen(store, dir);
            assertThat(atClose.differences(DataSet.read(store), 20))
                    .as("%s after a %s and recovery", backendUnderTest(), fault).isEmpty();
        }

        /** Runs a command; false when it failed, by an error reply or an exception. */
        private boolean attempt(Cellar store, Object... args) {
            try {
                return !(raw(store, 0, args) instanceof Reply.Error);
            } catch (RuntimeException e) {
                return false;
            }
        }
    }
}
