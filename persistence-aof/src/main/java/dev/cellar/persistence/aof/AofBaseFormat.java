package dev.cellar.persistence.aof;

import dev.cellar.spi.persistence.LoadSink;
import dev.cellar.spi.persistence.SnapshotView;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;

/**
 * A format for the base file of a multi-part AOF other than the built-in RESP command form: the
 * RDB preamble ({@code aof-use-rdb-preamble}), which the hybrid module supplies. Discovered with
 * {@link java.util.ServiceLoader} for loading and checking; a provider that writes such bases
 * passes its format to {@link AofProvider#create(dev.cellar.spi.persistence.PersistenceContext, AofBaseFormat)}.
 *
 * <p>A legacy single-file AOF may start with the format and continue with AOF commands (Redis
 * 4 to 6 wrote those): {@link #load} therefore returns where the format's part ends, and the AOF
 * loader reads commands from there.
 */
public interface AofBaseFormat {

    /** The format's name ({@code rdb}). */
    String name();

    /** The file name suffix of a base in this format, without the dot ({@code rdb}). */
    String extension();

    /** Whether a file that starts with {@code head} (its first bytes, up to 16) is in this format. */
    boolean recognizes(byte[] head);

    /**
     * Loads the format's part of {@code file} into {@code sink} (or only checks it when the sink
     * discards); returns the offset just past it.
     *
     * @throws IOException with a message naming the offset and what was expected when the data is malformed
     */
    long load(Path file, LoadSink sink, int databases) throws IOException;

    /** Writes the whole of {@code view} in this format. */
    void write(SnapshotView view, OutputStream out) throws IOException;
}
