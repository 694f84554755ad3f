package dev.cellar.persistence.hybrid;

import dev.cellar.persistence.aof.AofBaseFormat;
import dev.cellar.persistence.rdb.RdbInput;
import dev.cellar.persistence.rdb.RdbOutput;
import dev.cellar.persistence.rdb.RdbReader;
import dev.cellar.persistence.rdb.RdbWriter;
import dev.cellar.spi.persistence.LoadSink;
import dev.cellar.spi.persistence.SnapshotView;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * The RDB preamble as an AOF base format ({@code aof-use-rdb-preamble yes}): a base file that is an
 * RDB snapshot, possibly followed by AOF commands (the legacy single-file AOF of Redis 4 to 6).
 *
 * <p>Loading: the RDB part is loaded as Redis 7.0 loads an AOF base ({@code RDBFLAGS_AOF_PREAMBLE}):
 * keys whose expiry has already passed are loaded all the same, because the commands of the
 * incremental files that follow were logged against exactly that keyspace (a later {@code PERSIST}
 * or {@code INCR} of such a key must find it); they expire once loading is over, and their
 * {@code DEL} reaches the log as any expiry does. Verified with redis-server 7.0.15: loading a base
 * with 150 expired keys logs "keys loaded: 811, keys expired: 0", then appends their {@code DEL}s.
 *
 * <p>Writing: an RDB of the version Redis 7.0 writes, with the AUX field {@code aof-base 1}, so
 * that Redis's loader and {@code redis-check-aof} treat it as a base.
 */
public final class RdbBaseFormat implements AofBaseFormat {
    private static final byte[] MAGIC = "REDIS".getBytes(StandardCharsets.US_ASCII);

    /** Asked for the options of each base written, so that settings changed at run time apply. */
    private final Supplier<RdbWriter.Options> writeOptions;

    /** The format as {@link java.util.ServiceLoader} finds it, for loading and checking: Redis's write defaults. */
    public RdbBaseFormat() {
        this(() -> RdbWriter.Options.defaults());
    }

    /** The format with the write options {@code writeOptions} gives when a base is written ({@code aof-base} is always set). */
    RdbBaseFormat(Supplier<RdbWriter.Options> writeOptions) {
        this.writeOptions = () -> writeOptions.get().withAofBase(true);
    }

    @Override
    public String name() {
        return "rdb";
    }

    @Override
    public String extension() {
        return "rdb";
    }

    @Override
    public boolean recognizes(byte[] head) {
        if (head.length < MAGIC.length) {
            return false;
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (head[i] != MAGIC[i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * Loads the RDB part of {@code file}; returns the offset just past its checksum, where AOF
     * commands may follow.
     *
     * @throws IOException naming the file, the offset and what was expected there, when the RDB part is malformed
     */
    @Override
    public long load(Path file, LoadSink sink, int databases) throws IOException {
        RdbReader reader = new RdbReader(RdbReader.Options.defaults()
                .withDropExpired(false)
                .withDatabases(databases));
        long size = Files.size(file);
        try (InputStream in = Files.newInputStream(file)) {
            return reader.read(RdbInput.of(in), sink, size).bytes();
        } catch (IOException e) {
            throw new IOException("the RDB preamble of " + file + " is not valid: " + e.getMessage(), e);
        }
    }

    @Override
    public void write(SnapshotView view, OutputStream out) throws IOException {
        new RdbWriter(writeOptions.get()).write(view, RdbOutput.of(out));
    }

    @Override
    public String toString() {
        return "RDB preamble";
    }
}
