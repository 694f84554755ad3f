package dev.cellar.persistence.rdb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cellar.conformance.FileFaults;
import dev.cellar.spi.persistence.DataValue;
import dev.cellar.spi.persistence.SnapshotView;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code rdb-save-incremental-fsync}: a file being saved is fsynced every 4 MB as it is written, as Redis does. */
class IncrementalFsyncTest {
    @TempDir
    Path dir;

    /** The conformance kit's file seam, with nothing injected: it counts the fsyncs. */
    private final FileFaults seam = new FileFaults();

    private final RdbFiles counting = new RdbConformanceTest.FaultyFiles(seam);

    /** 10 MB of incompressible strings in database 0. */
    private static SnapshotView tenMegabytes() {
        byte[][] values = new byte[100][];
        Random random = new Random(7);
        for (int i = 0; i < values.length; i++) {
            values[i] = new byte[100_000];
            random.nextBytes(values[i]);
        }
        return new SnapshotView() {
            public int databases() { return 1; }
            public long size(int db) { return values.length; }
            public long expiresSize(int db) { return 0; }
            public void forEach(int db, EntryVisitor v) {
                for (int i = 0; i < values.length; i++) {
                    byte[] bytes = values[i];
                    v.entry(("key:" + i).getBytes(), new DataValue.StringData() {
                        public String encoding() { return "raw"; }
                        public byte[] bytes() { return bytes; }
                    }, -1, -1, -1);
                }
            }
        };
    }

    @Test
    @DisplayName("with incremental fsync (the default) a 10 MB file is fsynced twice while written, then once at the end")
    void everyFourMegabytes() throws IOException {
        new RdbWriter(RdbWriter.Options.defaults()).writeFile(tenMegabytes(), dir.resolve("dump.rdb"), counting);
        assertThat(seam.fsyncs()).isEqualTo(3);
        assertThat(Files.size(dir.resolve("dump.rdb"))).isGreaterThan(10_000_000);
    }

    @Test
    @DisplayName("with rdb-save-incremental-fsync no only the final fsync")
    void off() throws IOException {
        new RdbWriter(RdbWriter.Options.defaults().withIncrementalFsync(false))
                .writeFile(tenMegabytes(), dir.resolve("dump.rdb"), counting);
        assertThat(seam.fsyncs()).isEqualTo(1);
    }
}
