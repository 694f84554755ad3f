package dev.cellar.persistence.aof;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cellar.spi.persistence.PropagatedWrite;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AofEngineTest {
    @TempDir
    Path dir;

    private static AofEngine engine(TestContext ctx) {
        return new AofEngine(ctx, AofIo.FILES, null, List.of());
    }

    private static AofEngine engine(TestContext ctx, AofIo io) {
        return new AofEngine(ctx, io, null, List.of());
    }

    /** Opens an engine on {@code ctx}, loads into a fresh model, returns both. */
    private static Model load(AofEngine e) throws IOException {
        Model m = new Model(16);
        e.load(m);
        return m;
    }

    private static void write(AofEngine e, Model m, int db, String... args) {
        e.write(new PropagatedWrite(db, m.write(db, args)));
    }

    private static void raw(AofEngine e, int db, String... args) {
        byte[][] argv = Arrays.stream(args).map(Model::b).toArray(byte[][]::new);
        e.write(new PropagatedWrite(db, argv));
    }

    /** An engine on {@code ctx} (with aof-disable-auto-gc yes) after SET a 1 and one rewrite: the first files are history. */
    private static AofEngine rewrittenKeepingHistory(TestContext ctx) throws Exception {
        AofEngine e = engine(ctx);
        Model m = load(e);
        write(e, m, 0, "SET", "a", "1");
        e.flushBatch();
        ctx.snapshots = m::snapshot;
        e.startRewrite();
        e.awaitRewrite(10_000);
        return e;
    }

    /** Writes five keys over and over (up to 200 writes) until the engine has rewritten by itself. */
    private static void writeUntilRewritten(AofEngine e, Model m) throws Exception {
        for (int i = 0; i < 200 && e.info().get("aof_rewrites").equals("0"); i++) {
            write(e, m, 0, "SET", "k" + (i % 5), "value-" + i);
            e.flushBatch();
            e.awaitRewrite(10_000);
        }
    }

    private Path incr(int seq) {
        return dir.resolve("appendonlydir/appendonly.aof." + seq + ".incr.aof");
    }

    private String text(Path p) throws IOException {
        return new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1);
    }

    @Nested
    @DisplayName("Writing and loading")
    class WriteAndLoad {

        @Test
        @DisplayName("a first start creates an empty base, an incr file and the manifest, as Redis 7 does")
        void firstStart() throws IOException {
            AofEngine e = engine(new TestContext(dir));
            load(e);
            e.close();
            assertThat(text(dir.resolve("appendonlydir/appendonly.aof.manifest"))).isEqualTo(
                    "file appendonly.aof.1.base.aof seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n");
            assertThat(Files.size(dir.resolve("appendonlydir/appendonly.aof.1.base.aof"))).isZero();
            assertThat(Files.size(incr(1))).isZero();
        }

        @Test
        @DisplayName("commands are written in RESP with SELECT before the first command of another database")
        void respAndSelect() throws IOException {
            AofEngine e = engine(new TestContext(dir, "appendfsync", "always"));
            Model m = load(e);
            write(e, m, 0, "SET", "a", "1");
            write(e, m, 3, "SET", "b", "2");
            write(e, m, 3, "SET", "c", "3");
            e.flushBatch();
            assertThat(text(incr(1))).isEqualTo("*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n*3\r\n$3\r\nSET\r\n$1\r\na\r\n$1\r\n1\r\n"
                    + "*2\r\n$6\r\nSELECT\r\n$1\r\n3\r\n*3\r\n$3\r\nSET\r\n$1\r\nb\r\n$1\r\n2\r\n"
                    + "*3\r\n$3\r\nSET\r\n$1\r\nc\r\n$1\r\n3\r\n");
            e.close();
        }

        @Test
        @DisplayName("what was written loads back into the same data set, transactions included")
        void roundTrip() throws IOException {
            AofEngine e = engine(new TestContext(dir, "aof-timestamp-enabled", "yes"));
            Model written = load(e);
            write(e, written, 0, "SET", "s", "v\r\nwith crlf");
            write(e, written, 0, "RPUSH", "l", "a", "b", "c");
            raw(e, 2, "MULTI");
            write(e, written, 2, "SADD", "set", "x", "y");
            write(e, written, 5, "HSET", "h", "f", "v");
            raw(e, 5, "EXEC");
            write(e, written, 1, "ZADD", "z", "1.5", "m", "-inf", "n");
            write(e, written, 1, "PEXPIREAT", "z", "4102444800000");
            e.flushBatch();
            e.close();
            assertThat(text(incr(1))).startsWith("#TS:");

            Model loaded = load(engine(new TestContext(dir)));
            assertThat(loaded.dump()).isEqualTo(written.dump()).contains("@4102444800000");
            assertThat(loaded.replayed).contains("2: SADD set x y", "5: HSET h f v");
        }

        @Test
        @DisplayName("a MULTI the file ends inside is dropped and cut from the file")
        void unfinishedMultiDropped() throws IOException {
            AofEngine e = engine(new TestContext(dir));
            Model m = load(e);
            write(e, m, 0, "SET", "kept", "1");
            e.flushBatch();
            long good = Files.size(incr(1));
            raw(e, 0, "MULTI");
            raw(e, 0, "SET", "lost", "1");
            e.flushBatch();
            e.close();
            Model loaded = load(engine(new TestContext(dir)));
            assertThat(loaded.dump()).isEqualTo("0 kept = 1\n");
            assertThat(Files.size(incr(1))).isEqualTo(good);
        }

        @Test
        @DisplayName("a replay error stops start-up with the command and the offset")
        void replayError() throws IOException {
            AofEngine e = engine(new TestContext(dir));
            Model m = load(e);
            write(e, m, 0, "SET", "a", "1");
            raw(e, 0, "FAIL", "x");
            e.flushBatch();
            e.close();
            assertThatThrownBy(() -> load(engine(new TestContext(dir))))
                    .hasMessageContaining("at offset 50")
                    .hasMessageContaining("command 'FAIL x'")
                    .hasMessageContaining("ERR deliberate failure");
        }

        @Test
        @DisplayName("a legacy appendonly.aof is moved into the directory as the base and the manifest written")
        void legacyUpgrade() throws IOException {
            Files.writeString(dir.resolve("appendonly.aof"),
                    "*2\r\n$6\r\nSELECT\r\n$1\r\n4\r\n*3\r\n$3\r\nSET\r\n$3\r\nold\r\n$1\r\nv\r\n");
            AofEngine e = engine(new TestContext(dir));
            Model m = load(e);
            assertThat(m.dump()).isEqualTo("4 old = v\n");
            write(e, m, 0, "SET", "new", "w");
            e.flushBatch();
            e.close();
            assertThat(dir.resolve("appendonly.aof")).doesNotExist();
            assertThat(text(dir.resolve("appendonlydir/appendonly.aof.manifest"))).isEqualTo(
                    "file appendonly.aof seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n");
            assertThat(load(engine(new TestContext(dir))).dump()).isEqualTo("0 new = w\n4 old = v\n");
        }

        @Test
        @DisplayName("a file with an RDB preamble and no RDB base format installed is refused naming the hybrid module")
        void preambleWithoutFormat() throws IOException {
            Files.write(dir.resolve("appendonly.aof"), "REDIS0010\u00fa".getBytes(StandardCharsets.ISO_8859_1));
            assertThatThrownBy(() -> load(engine(new TestContext(dir))))
                    .hasMessageContaining("starts with an RDB preamble")
                    .hasMessageContaining("hybrid");
        }
    }

    @Nested
    @DisplayName("Damaged logs")
    class Damaged {

        /** Writes a log whose last command is {@code SET last value}; returns the incr's bytes and where that command starts. */
        private long[] prepare() throws IOException {
            AofEngine e = engine(new TestContext(dir));
            Model m = load(e);
            write(e, m, 0, "SET", "a", "1");
            raw(e, 0, "MULTI");
            write(e, m, 0, "RPUSH", "l", "x");
            raw(e, 0, "EXEC");
            e.flushBatch();
            long lastStart = Files.size(incr(1));
            write(e, m, 0, "SET", "last", "value");
            e.flushBatch();
            e.close();
            return new long[] {lastStart, Files.size(incr(1))};
        }

        @Test
        @DisplayName("cut at every byte of its last command, the log loads without only that command (aof-load-truncated yes)")
        void truncatedEveryOffsetLoads() throws IOException {
            long[] at = prepare();
            byte[] full = Files.readAllBytes(incr(1));
            for (long cut = at[0]; cut < at[1]; cut++) {
                Files.write(incr(1), Arrays.copyOf(full, (int) cut));
                Model m = load(engine(new TestContext(dir)));
                assertThat(m.dump()).as("cut at %d", cut).isEqualTo("0 a = 1\n0 l = [x]\n");
                assertThat(Files.size(incr(1))).as("file cut back at %d", cut).isEqualTo(at[0]);
            }
        }

        @Test
        @DisplayName("cut at every byte of its last command, the log is refused with aof-load-truncated no")
        void truncatedEveryOffsetRefused() throws IOException {
            long[] at = prepare();
            byte[] full = Files.readAllBytes(incr(1));
            for (long cut = at[0] + 1; cut < at[1]; cut++) {
                Files.write(incr(1), Arrays.copyOf(full, (int) cut));
                assertThatThrownBy(() -> load(engine(new TestContext(dir, "aof-load-truncated", "no"))))
                        .as("cut at %d", cut)
                        .hasMessageContaining("Unexpected end of file")
                        .hasMessageContaining("aof-load-truncated")
                        .hasMessageContaining("check-aof --fix");
                assertThat(Files.size(incr(1))).isEqualTo(cut);
            }
        }

        @Test
        @DisplayName("a flipped byte in the middle is refused with the file, the offset and what was expected")
        void flippedByte() throws IOException {
            long[] at = prepare();
            byte[] full = Files.readAllBytes(incr(1));
            full[23] = '?'; // the '*' of SET a 1
            Files.write(incr(1), full);
            assertThatThrownBy(() -> load(engine(new TestContext(dir))))
                    .hasMessageContaining("appendonly.aof.1.incr.aof at offset 23")
                    .hasMessageContaining("Expected prefix '*', got: '?'")
                    .hasMessageContaining("check-aof --fix");
            full[23] = '*';
            full[27] = '#'; // the '$' of SET
            Files.write(incr(1), full);
            assertThatThrownBy(() -> load(engine(new TestContext(dir))))
                    .hasMessageContaining("at offset 27").hasMessageContaining("Expected prefix '$', got: '#'");
            assertThat(Files.size(incr(1))).isEqualTo(at[1]);
        }

        @Test
        @DisplayName("only the last file may be truncated: a short base stops start-up")
        void shortNonLastFile() throws IOException {
            prepare();
            Files.writeString(dir.resolve("appendonlydir/appendonly.aof.1.base.aof"), "*3\r\n$3\r\nSET\r\n$1\r\nb");
            assertThatThrownBy(() -> load(engine(new TestContext(dir))))
                    .hasMessageContaining("appendonly.aof.1.base.aof")
                    .hasMessageContaining("not the last file");
        }
    }

    @Nested
    @DisplayName("Write errors")
    class WriteErrors {

        @Test
        @DisplayName("with everysec a failed write refuses writes with MISCONF, leaves no partial command, and recovers")
        void everysecMisconf() throws Exception {
            FaultyIo io = new FaultyIo();
            AofEngine e = engine(new TestContext(dir), io);
            Model m = load(e);
            write(e, m, 0, "SET", "a", "1");
            e.flushBatch();
            long good = Files.size(incr(1));
            io.diskFull = true;
            write(e, m, 0, "SET", "b", "2");
            e.flushBatch();
            assertThat(e.refuseWritesReason()).isEqualTo("MISCONF Errors writing to the AOF file: No space left on device");
            assertThat(e.info()).containsEntry("aof_last_write_status", "err");
            assertThat(Files.size(incr(1))).isEqualTo(good);
            io.diskFull = false;
            long deadline = System.currentTimeMillis() + 5000;
            while (e.refuseWritesReason() != null && System.currentTimeMillis() < deadline) {
                Thread.sleep(20);
            }
            assertThat(e.refuseWritesReason()).isNull();
            assertThat(e.info()).containsEntry("aof_last_write_status", "ok");
            e.close();
            assertThat(load(engine(new TestContext(dir))).dump()).isEqualTo(m.dump());
        }

        @Test
        @DisplayName("with always a failed write is not acknowledged: flushBatch throws, and the retry writes it once")
        void alwaysThrows() throws Exception {
            FaultyIo io = new FaultyIo();
            AofEngine e = engine(new TestContext(dir, "appendfsync", "always"), io);
            Model m = load(e);
            io.diskFull = true;
            write(e, m, 0, "SET", "a", "1");
            assertThatThrownBy(e::flushBatch).isInstanceOf(IOException.class)
                    .hasMessage("Errors writing to the AOF file: No space left on device");
            assertThat(Files.size(incr(1))).isZero();
            assertThat(e.refuseWritesReason()).startsWith("MISCONF");
            io.diskFull = false;
            e.flushBatch();
            assertThat(e.refuseWritesReason()).isNull();
            e.close();
            assertThat(load(engine(new TestContext(dir))).dump()).isEqualTo("0 a = 1\n");
        }

        @Test
        @DisplayName("with always a failed fsync is not acknowledged either")
        void alwaysFsyncFails() throws Exception {
            FaultyIo io = new FaultyIo();
            AofEngine e = engine(new TestContext(dir, "appendfsync", "always"), io);
            Model m = load(e);
            io.fsyncFails = true;
            write(e, m, 0, "SET", "a", "1");
            assertThatThrownBy(e::flushBatch).hasMessageContaining("Input/output error");
            assertThat(e.refuseWritesReason()).isEqualTo("MISCONF Errors writing to the AOF file: Input/output error");
            assertThat(Files.size(incr(1))).as("the unsynced bytes are cut back, to be written again").isZero();
            io.fsyncFails = false;
            e.flushBatch();
            assertThat(e.refuseWritesReason()).isNull();
            e.close();
            assertThat(load(engine(new TestContext(dir))).dump()).isEqualTo("0 a = 1\n");
        }
    }

    @Nested
    @DisplayName("Rewrite")
    class Rewrite {

        @Test
        @DisplayName("a rewrite while writes continue gives a base plus new incrs that hold exactly the data set")
        void rewriteWhileWriting() throws Exception {
            TestContext ctx = new TestContext(dir);
            AofEngine e = engine(ctx);
            Model m = load(e);
            for (int i = 0; i < 300; i++) {
                write(e, m, i % 3, "RPUSH", "list" + (i % 7), "e" + i);
                write(e, m, 1, "ZADD", "z", Double.toString(i / 3.0), "m" + i);
                write(e, m, 2, "HSET", "h", "f" + i, "v" + i);
                write(e, m, 0, "SADD", "s", "m" + i);
            }
            write(e, m, 0, "SET", "ttl", "x");
            write(e, m, 0, "PEXPIREAT", "ttl", "4102444800000");
            e.flushBatch();
            ctx.snapshots = m::snapshot;
            CountDownLatch hold = new CountDownLatch(1);
            ctx.holdVisit = hold;
            assertThat(e.startRewrite()).isTrue();
            assertThat(e.startRewrite()).isFalse();
            // counted when it starts, as redis-server counts it (its INFO shows aof_rewrites:1 while
            // the first rewrite runs)
            assertThat(e.info()).containsEntry("aof_rewrite_in_progress", "1").containsEntry("aof_rewrites", "1");
            // writes go on while the base is being written
            write(e, m, 0, "SET", "during", "1");
            write(e, m, 2, "HSET", "h", "f0", "changed");
            write(e, m, 0, "DEL", "s");
            e.flushBatch();
            hold.countDown();
            e.awaitRewrite(10_000);
            write(e, m, 4, "SET", "after", "2");
            e.flushBatch();
            assertThat(e.info()).containsEntry("aof_rewrites", "1").containsEntry("aof_last_bgrewrite_status", "ok");
            e.close();

            assertThat(text(dir.resolve("appendonlydir/appendonly.aof.manifest"))).isEqualTo(
                    "file appendonly.aof.2.base.aof seq 2 type b\nfile appendonly.aof.2.incr.aof seq 2 type i\n");
            assertThat(dir.resolve("appendonlydir/appendonly.aof.1.base.aof")).doesNotExist();
            assertThat(incr(1)).doesNotExist();
            assertThat(text(dir.resolve("appendonlydir/appendonly.aof.2.base.aof"))).contains("HMSET", "PEXPIREAT");
            assertThat(load(engine(new TestContext(dir))).dump()).isEqualTo(m.dump());
        }

        @Test
        @DisplayName("with aof-disable-auto-gc the old files stay as history")
        void keepHistory() throws Exception {
            AofEngine e = rewrittenKeepingHistory(new TestContext(dir, "aof-disable-auto-gc", "yes"));
            e.close();
            assertThat(text(dir.resolve("appendonlydir/appendonly.aof.manifest"))).isEqualTo(
                    "file appendonly.aof.2.base.aof seq 2 type b\nfile appendonly.aof.1.incr.aof seq 1 type h\n"
                            + "file appendonly.aof.1.base.aof seq 1 type h\nfile appendonly.aof.2.incr.aof seq 2 type i\n");
            assertThat(incr(1)).exists();
            assertThat(load(engine(new TestContext(dir))).dump()).isEqualTo("0 a = 1\n");
        }

        @Test
        @DisplayName("growth past auto-aof-rewrite-percentage above the minimum size starts a rewrite by itself")
        void automatic() throws Exception {
            TestContext ctx = new TestContext(dir, "auto-aof-rewrite-min-size", "1kb", "auto-aof-rewrite-percentage", "100");
            AofEngine e = engine(ctx);
            Model m = load(e);
            ctx.snapshots = m::snapshot;
            writeUntilRewritten(e, m);
            assertThat(e.info()).containsEntry("aof_rewrites", "1");
            e.close();
            assertThat(load(engine(new TestContext(dir))).dump()).isEqualTo(m.dump());
        }

        @Test
        @DisplayName("a rewrite that cannot get a view fails cleanly and the log stays loadable")
        void failedRewrite() throws Exception {
            AofEngine e = engine(new TestContext(dir));
            Model m = load(e);
            write(e, m, 0, "SET", "a", "1");
            e.flushBatch();
            assertThatThrownBy(e::startRewrite).hasMessageContaining("no point-in-time view");
            assertThat(e.info()).containsEntry("aof_last_bgrewrite_status", "err")
                    .containsEntry("aof_rewrites_consecutive_failures", "1");
            write(e, m, 0, "SET", "b", "2");
            e.flushBatch();
            e.close();
            assertThat(load(engine(new TestContext(dir))).dump()).isEqualTo(m.dump());
        }
    }

    @Nested
    @DisplayName("Settings changed at run time (CONFIG SET)")
    class RunTimeSettings {

        @Test
        @DisplayName("appendfsync always fsyncs every batch from the next one on; no fsyncs none")
        void appendfsync() throws Exception {
            FaultyIo io = new FaultyIo();
            TestContext ctx = new TestContext(dir);
            AofEngine e = engine(ctx, io);
            Model m = load(e);
            ctx.set(e, "appendfsync", "always");
            for (int i = 0; i < 3; i++) {
                int before = io.fsyncs.get();
                write(e, m, 0, "SET", "a", Integer.toString(i));
                e.flushBatch();
                assertThat(io.fsyncs.get()).as("batch %d", i).isEqualTo(before + 1);
            }
            ctx.set(e, "appendfsync", "no");
            int before = io.fsyncs.get();
            for (int i = 0; i < 3; i++) {
                write(e, m, 0, "SET", "b", Integer.toString(i));
                e.flushBatch();
            }
            Thread.sleep(1300); // past the second after which everysec would have fsynced
            assertThat(io.fsyncs.get()).isEqualTo(before);
            e.close();
            assertThat(load(engine(new TestContext(dir))).dump()).isEqualTo(m.dump());
        }

        @Test
        @DisplayName("an everysec fsync that failed is retried after appendfsync changes, and MISCONF ends when it succeeds")
        void failedFsyncRetriedUnderAnotherPolicy() throws Exception {
            FaultyIo io = new FaultyIo();
            TestContext ctx = new TestContext(dir);
            AofEngine e = engine(ctx, io);
            Model m = load(e);
            io.fsyncFails = true;
            write(e, m, 0, "SET", "a", "1");
            e.flushBatch();
            long deadline = System.currentTimeMillis() + 5000;
            while (e.refuseWritesReason() == null && System.currentTimeMillis() < deadline) {
                Thread.sleep(20);
            }
            assertThat(e.refuseWritesReason()).isEqualTo("MISCONF Errors writing to the AOF file: Input/output error");
            ctx.set(e, "appendfsync", "no");
            io.fsyncFails = false;
            deadline = System.currentTimeMillis() + 5000;
            while (e.refuseWritesReason() != null && System.currentTimeMillis() < deadline) {
                Thread.sleep(20);
            }
            assertThat(e.refuseWritesReason()).isNull();
            e.close();
        }

        @Test
        @DisplayName("aof-timestamp-enabled yes annotates the writes that follow, no stops it")
        void timestamps() throws Exception {
            TestContext ctx = new TestContext(dir);
            AofEngine e = engine(ctx);
            Model m = load(e);
            write(e, m, 0, "SET", "a", "1");
            e.flushBatch();
            ctx.set(e, "aof-timestamp-enabled", "yes");
            write(e, m, 0, "SET", "b", "2");
            e.flushBatch();
            ctx.set(e, "aof-timestamp-enabled", "no");
            Thread.sleep(1100); // a new second: enabled, it would annotate again
            write(e, m, 0, "SET", "c", "3");
            e.flushBatch();
            e.close();
            String log = text(incr(1));
            assertThat(log).matches("(?s)\\*2\r\n\\$6\r\nSELECT.*\\$1\r\na\r\n\\$1\r\n1\r\n"
                    + "#TS:\\d+\r\n\\*3\r\n\\$3\r\nSET\r\n\\$1\r\nb.*");
            assertThat(log.split("#TS:", -1)).hasSize(2);
            assertThat(load(engine(new TestContext(dir))).dump()).isEqualTo(m.dump());
        }

        @Test
        @DisplayName("aof-disable-auto-gc no removes the history files kept while it was yes, at once")
        void autoGc() throws Exception {
            TestContext ctx = new TestContext(dir, "aof-disable-auto-gc", "yes");
            AofEngine e = rewrittenKeepingHistory(ctx);
            assertThat(incr(1)).exists();
            ctx.set(e, "aof-disable-auto-gc", "no");
            assertThat(text(dir.resolve("appendonlydir/appendonly.aof.manifest"))).isEqualTo(
                    "file appendonly.aof.2.base.aof seq 2 type b\nfile appendonly.aof.2.incr.aof seq 2 type i\n");
            assertThat(incr(1)).doesNotExist();
            assertThat(dir.resolve("appendonlydir/appendonly.aof.1.base.aof")).doesNotExist();
            e.close();
            assertThat(load(engine(new TestContext(dir))).dump()).isEqualTo("0 a = 1\n");
        }

        @Test
        @DisplayName("auto-aof-rewrite-min-size and -percentage set at run time decide the next automatic rewrite")
        void automaticRewrite() throws Exception {
            TestContext ctx = new TestContext(dir);
            AofEngine e = engine(ctx);
            Model m = load(e);
            ctx.snapshots = m::snapshot;
            ctx.set(e, "auto-aof-rewrite-min-size", "1kb");
            ctx.set(e, "auto-aof-rewrite-percentage", "0"); // 0: no automatic rewrite
            for (int i = 0; i < 100; i++) {
                write(e, m, 0, "SET", "k" + (i % 5), "value-" + i);
                e.flushBatch();
            }
            assertThat(e.info()).containsEntry("aof_rewrites", "0");
            ctx.set(e, "auto-aof-rewrite-percentage", "100");
            writeUntilRewritten(e, m);
            assertThat(e.info()).containsEntry("aof_rewrites", "1");
            e.close();
            assertThat(load(engine(new TestContext(dir))).dump()).isEqualTo(m.dump());
        }

        @Test
        @DisplayName("no-appendfsync-on-rewrite yes: no fsync while a save or rewrite writes, even with always; fsyncs again after")
        void noFsyncOnRewrite() throws Exception {
            FaultyIo io = new FaultyIo();
            TestContext ctx = new TestContext(dir, "appendfsync", "always");
            AofEngine e = engine(ctx, io);
            Model m = load(e);
            ctx.viewOpen = true; // a BGSAVE is writing
            int before = io.fsyncs.get();
            write(e, m, 0, "SET", "a", "1");
            e.flushBatch();
            assertThat(io.fsyncs.get()).as("no is the default: fsynced as always").isEqualTo(before + 1);
            ctx.set(e, "no-appendfsync-on-rewrite", "yes");
            before = io.fsyncs.get();
            for (int i = 0; i < 3; i++) {
                write(e, m, 0, "SET", "b", Integer.toString(i));
                e.flushBatch();
            }
            ctx.set(e, "appendfsync", "everysec");
            write(e, m, 0, "SET", "c", "1");
            e.flushBatch();
            Thread.sleep(1300); // everysec would have fsynced by now
            assertThat(io.fsyncs.get()).as("held back while the view is open").isEqualTo(before);
            assertThat(text(incr(1))).as("written all the same").contains("$1\r\nc\r\n$1\r\n1\r\n");
            ctx.viewOpen = false;
            long deadline = System.currentTimeMillis() + 5000;
            while (io.fsyncs.get() == before && System.currentTimeMillis() < deadline) {
                Thread.sleep(20);
            }
            assertThat(io.fsyncs.get()).as("the everysec fsync once the view closed").isGreaterThan(before);
            e.close();
            assertThat(load(engine(new TestContext(dir))).dump()).isEqualTo(m.dump());
        }

        @Test
        @DisplayName("aof-load-truncated no set before a load refuses a truncated log")
        void loadTruncated() throws Exception {
            AofEngine e = engine(new TestContext(dir));
            Model m = load(e);
            write(e, m, 0, "SET", "a", "1");
            e.flushBatch();
            e.close();
            try (var ch = java.nio.channels.FileChannel.open(incr(1), java.nio.file.StandardOpenOption.WRITE)) {
                ch.truncate(ch.size() - 3);
            }
            TestContext ctx = new TestContext(dir);
            AofEngine again = engine(ctx);
            ctx.set(again, "aof-load-truncated", "no");
            assertThatThrownBy(() -> load(again)).hasMessageContaining("aof-load-truncated");
        }
    }

    @Test
    @DisplayName("INFO reports Redis's aof_* fields")
    void info() throws IOException {
        AofEngine e = engine(new TestContext(dir));
        load(e);
        assertThat(e.info()).containsKeys("aof_enabled", "aof_rewrite_in_progress", "aof_rewrite_scheduled",
                "aof_last_rewrite_time_sec", "aof_current_rewrite_time_sec", "aof_last_bgrewrite_status", "aof_rewrites",
                "aof_last_write_status", "aof_last_cow_size", "aof_current_size", "aof_base_size", "aof_pending_rewrite",
                "aof_buffer_length", "aof_pending_bio_fsync", "aof_delayed_fsync");
        e.close();
    }
}
