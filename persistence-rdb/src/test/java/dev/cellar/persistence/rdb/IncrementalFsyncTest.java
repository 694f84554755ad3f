package dev.cellar.persistence.rdb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cellar.spi.persistence.DataValue;
import dev.cellar.spi.persistence.SnapshotView;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.CopyOption;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code rdb-save-incremental-fsync}: a file being saved is fsynced every 4 MB as it is written, as Redis does. */
class IncrementalFsyncTest {
    @TempDir
    Path dir;

    /** The fsyncs asked of the files the writer opens: {@code false} for data only, {@code true} with metadata. */
    private final List<Boolean> forces = new ArrayList<>();

    private final RdbFiles counting = new RdbFiles() {
        @Override
        public FileChannel open(Path file, OpenOption... options) throws IOException {
            return new Counting(FileChannel.open(file, options));
        }

        @Override
        public void move(Path source, Path target, CopyOption... options) throws IOException {
            Files.move(source, target, options);
        }
    };

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
        assertThat(forces).containsExactly(false, false, true);
        assertThat(Files.size(dir.resolve("dump.rdb"))).isGreaterThan(10_000_000);
    }

    @Test
    @DisplayName("with rdb-save-incremental-fsync no only the final fsync")
    void off() throws IOException {
        new RdbWriter(RdbWriter.Options.defaults().withIncrementalFsync(false))
                .writeFile(tenMegabytes(), dir.resolve("dump.rdb"), counting);
        assertThat(forces).containsExactly(true);
    }

    /** A file channel that records its fsyncs and passes everything on. */
    private final class Counting extends FileChannel {
        private final FileChannel inner;

        Counting(FileChannel inner) {
            this.inner = inner;
        }

        @Override
        public void force(boolean metaData) throws IOException {
            forces.add(metaData);
            inner.force(metaData);
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            return inner.read(dst);
        }

        @Override
        public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
            return inner.read(dsts, offset, length);
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            return inner.write(src);
        }

        @Override
        public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
            return inner.write(srcs, offset, length);
        }

        @Override
        public long position() throws IOException {
            return inner.position();
        }

        @Override
        public FileChannel position(long newPosition) throws IOException {
            inner.position(newPosition);
            return this;
        }

        @Override
        public long size() throws IOException {
            return inner.size();
        }

        @Override
        public FileChannel truncate(long size) throws IOException {
            inner.truncate(size);
            return this;
        }

        @Override
        public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
            return inner.transferTo(position, count, target);
        }

        @Override
        public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
            return inner.transferFrom(src, position, count);
        }

        @Override
        public int read(ByteBuffer dst, long position) throws IOException {
            return inner.read(dst, position);
        }

        @Override
        public int write(ByteBuffer src, long position) throws IOException {
            return inner.write(src, position);
        }

        @Override
        public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
            return inner.map(mode, position, size);
        }

        @Override
        public FileLock lock(long position, long size, boolean shared) throws IOException {
            return inner.lock(position, size, shared);
        }

        @Override
        public FileLock tryLock(long position, long size, boolean shared) throws IOException {
            return inner.tryLock(position, size, shared);
        }

        @Override
        protected void implCloseChannel() throws IOException {
            inner.close();
        }
    }
}
