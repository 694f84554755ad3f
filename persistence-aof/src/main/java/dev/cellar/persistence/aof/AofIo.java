package dev.cellar.persistence.aof;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The file operations the AOF writes through. One seam, so tests can inject a full disk or a
 * failing fsync (they run as root, where permissions cannot make a write fail).
 */
interface AofIo {

    /** Opens a file for appending, creating it when absent. */
    LogChannel openAppend(Path file) throws IOException;

    /** Creates (or empties) a file for writing. */
    LogChannel create(Path file) throws IOException;

    /** Makes a directory's entries (creations, renames) durable. */
    void fsyncDirectory(Path dir) throws IOException;

    /** An open file being written. */
    interface LogChannel extends Closeable {
        /** Writes some of {@code src}; returns how many bytes. */
        int write(ByteBuffer src) throws IOException;

        /** Flushes the file's data to the device (fdatasync). */
        void force() throws IOException;

        /** Cuts the file to {@code size} bytes. */
        void truncate(long size) throws IOException;

        /** The file's size. */
        long size() throws IOException;

        /** Writes all of {@code src}, looping over short writes. */
        default void writeFully(ByteBuffer src) throws IOException {
            while (src.hasRemaining()) {
                write(src);
            }
        }
    }

    /** The real file system. */
    AofIo FILES = new AofIo() {
        @Override
        public LogChannel openAppend(Path file) throws IOException {
            return wrap(FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND));
        }

        @Override
        public LogChannel create(Path file) throws IOException {
            return wrap(FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING));
        }

        @Override
        public void fsyncDirectory(Path dir) throws IOException {
            try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
                ch.force(true);
            }
        }

        private LogChannel wrap(FileChannel ch) {
            return new LogChannel() {
                @Override
                public int write(ByteBuffer src) throws IOException {
                    return ch.write(src);
                }

                @Override
                public void force() throws IOException {
                    ch.force(false);
                }

                @Override
                public void truncate(long size) throws IOException {
                    ch.truncate(size);
                }

                @Override
                public long size() throws IOException {
                    return ch.size();
                }

                @Override
                public void close() throws IOException {
                    ch.close();
                }
            };
        }
    };
}
