package dev.cellar.persistence.rdb;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.CopyOption;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;

/**
 * How the RDB code opens and renames files: the seam through which tests make writes fail (a full
 * disk, an I/O error), since they run as root and permissions cannot. Production uses {@link #DEFAULT}.
 */
public interface RdbFiles {

    /** Opens a file channel. */
    FileChannel open(Path file, OpenOption... options) throws IOException;

    /** Renames a file. */
    void move(Path source, Path target, CopyOption... options) throws IOException;

    /** The real file system. */
    RdbFiles DEFAULT = new RdbFiles() {
        @Override
        public FileChannel open(Path file, OpenOption... options) throws IOException {
            return FileChannel.open(file, options);
        }

        @Override
        public void move(Path source, Path target, CopyOption... options) throws IOException {
            Files.move(source, target, options);
        }
    };
}
