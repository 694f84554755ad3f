package dev.cellar.persistence.aof;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cellar.spi.persistence.DataValue;
import dev.cellar.spi.persistence.LoadSink;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The loader replays every command once, in file order, transactions at their EXEC, switching
 * databases at SELECT, and drops an unfinished transaction at the end; a failing replay stops it
 * with that command's offset.
 */
class AofLoaderTest {
    @TempDir
    Path dir;

    /** Records what is replayed; fails the command whose key is {@code failOn}. */
    private static class Recorder implements LoadSink {
        final List<String> replayed = new ArrayList<>();
        String failOn;

        @Override
        public void put(int db, byte[] key, DataValue value, long expireAtMillis) {
            throw new AssertionError("no snapshot here");
        }

        @Override
        public String replay(int db, byte[][] argv) {
            String line = db + " " + AofLoader.describe(argv);
            if (failOn != null && argv.length > 1 && new String(argv[1], StandardCharsets.UTF_8).equals(failOn)) {
                return "WRONGTYPE Operation against a key holding the wrong kind of value";
            }
            replayed.add(line);
            return null;
        }
    }

    private static void command(ByteArrayOutputStream out, String... argv) {
        Resp r = new Resp(64);
        byte[][] args = new byte[argv.length][];
        for (int i = 0; i < argv.length; i++) {
            args[i] = Resp.bytes(argv[i]);
        }
        r.command(args);
        out.writeBytes(r.toByteArray());
    }

    @Test
    void replaysEveryCommandInOrderAndDropsAnUnfinishedTransaction() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<String> expected = new ArrayList<>();
        int db = 0;
        for (int i = 0; i < 5000; i++) {
            if (i % 777 == 0) {
                db = (db + 1) % 4;
                command(out, "SELECT", Integer.toString(db));
            }
            if (i % 500 == 490) {
                command(out, "MULTI");
                for (int k = 0; k < 30; k++) {
                    command(out, "INCR", "t" + i);
                    expected.add(db + " INCR t" + i);
                }
                command(out, "EXEC");
                continue;
            }
            if (i % 1000 == 10) {
                out.writeBytes(("#TS:" + (1_700_000_000 + i) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            }
            command(out, "SET", "k" + i, "v" + i);
            expected.add(db + " SET k" + i + " v" + i);
        }
        long whole = out.size();
        command(out, "MULTI");
        command(out, "SET", "never", "1");
        Path file = dir.resolve("appendonly.aof.1.incr.aof");
        Files.write(file, out.toByteArray());

        Recorder sink = new Recorder();
        long[] progress = {0};
        long size = new AofLoader(List.of(), 16, "appendonly.aof").load(file, true, true, file.toString(), sink, progress, Files.size(file));

        assertThat(sink.replayed).containsExactlyElementsOf(expected);
        assertThat(size).isEqualTo(whole);
        assertThat(Files.size(file)).isEqualTo(whole);
    }

    @Test
    void aFailingReplayStopsTheLoadWithItsOffset() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long failingAt = -1;
        for (int i = 0; i < 20_000; i++) {
            if (i == 3000) {
                failingAt = out.size();
                command(out, "LPUSH", "bad", "x");
            }
            command(out, "SET", "k" + i, "v");
        }
        Path file = dir.resolve("appendonly.aof.1.incr.aof");
        Files.write(file, out.toByteArray());

        Recorder sink = new Recorder();
        sink.failOn = "bad";
        long[] progress = {0};
        AofLoader loader = new AofLoader(List.of(), 16, "appendonly.aof");
        assertThatThrownBy(() -> loader.load(file, true, true, file.toString(), sink, progress, Files.size(file)))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("at offset " + failingAt + ": command 'LPUSH bad x'")
                .hasMessageContaining("WRONGTYPE");
        assertThat(sink.replayed).hasSize(3000);
    }
    /** A base format for the test: a file starting with "FAKE" and 96 more bytes, which it reports read in four steps. */
    private static final class FakeBase implements AofBaseFormat {
        @Override
        public String name() {
            return "fake";
        }

        @Override
        public String extension() {
            return "fake";
        }

        @Override
        public boolean recognizes(byte[] head) {
            return head.length >= 4 && new String(head, 0, 4, StandardCharsets.US_ASCII).equals("FAKE");
        }

        @Override
        public long load(Path file, LoadSink sink, int databases) throws IOException {
            long size = Files.size(file);
            for (int part = 1; part <= 4; part++) {
                sink.progress(25L * part, size); // as a reader does: within its own file
            }
            return 100;
        }

        @Override
        public void write(dev.cellar.spi.persistence.SnapshotView view, java.io.OutputStream out) {
            throw new UnsupportedOperationException();
        }
    }

    @Test
    void progressCountsTheWholeLogAcrossABaseInAnotherFormatAndTheIncrFile() throws IOException {
        ByteArrayOutputStream base = new ByteArrayOutputStream();
        base.writeBytes(("FAKE" + "x".repeat(96)).getBytes(StandardCharsets.US_ASCII));
        command(base, "SET", "tail", "1"); // commands after the format's part, as in an old preamble AOF
        Path baseFile = dir.resolve("appendonly.aof.1.base.fake");
        Files.write(baseFile, base.toByteArray());
        ByteArrayOutputStream incr = new ByteArrayOutputStream();
        for (int i = 0; i < 20_000; i++) {
            command(incr, "SET", "k" + i, "v");
        }
        Path incrFile = dir.resolve("appendonly.aof.1.incr.aof");
        Files.write(incrFile, incr.toByteArray());
        long total = Files.size(baseFile) + Files.size(incrFile);

        List<long[]> reports = new ArrayList<>();
        Recorder sink = new Recorder() {
            @Override
            public void progress(long loadedBytes, long totalBytes) {
                reports.add(new long[] {loadedBytes, totalBytes});
            }
        };
        long[] progress = {0};
        AofLoader loader = new AofLoader(List.of(new FakeBase()), 16, "appendonly.aof");
        loader.load(baseFile, false, true, "manifest", sink, progress, total);
        loader.load(incrFile, true, true, "manifest", sink, progress, total);

        assertThat(reports).hasSizeGreaterThan(5);
        assertThat(reports).allSatisfy(r -> assertThat(r[1]).as("total").isEqualTo(total));
        for (int i = 1; i < reports.size(); i++) {
            assertThat(reports.get(i)[0]).as("report %d never goes back", i).isGreaterThanOrEqualTo(reports.get(i - 1)[0]);
        }
        assertThat(reports.get(3)[0]).as("the base's own last step").isEqualTo(100);
        assertThat(sink.replayed).hasSize(20_001).startsWith("0 SET tail 1");
    }
}
