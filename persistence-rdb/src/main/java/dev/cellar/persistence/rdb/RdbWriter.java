package dev.cellar.persistence.rdb;

import static dev.cellar.persistence.rdb.RdbConstants.*;

import dev.cellar.api.CellarClock;
import dev.cellar.api.CellarConfig;
import dev.cellar.spi.persistence.DataValue;
import dev.cellar.spi.persistence.SnapshotView;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Writes a {@link SnapshotView} as an RDB file of version 10, the version Redis 7.0 writes, so that
 * Redis 7.0 and later load it: AUX fields, then per non-empty database SELECTDB and RESIZEDB, then
 * each key with its EXPIRETIME_MS, IDLE and FREQ when known, then EOF and the CRC64 (or 0 when
 * checksums are off, as {@code rdbchecksum no} does).
 *
 * <p>Value encodings follow the in-memory encoding: listpack hashes and sorted sets and intsets
 * are written as such, lists as quicklist v2 with listpack nodes cut at the
 * {@code list-max-listpack-size} limit, everything else in the plain types. No set listpack
 * (type 20): version 10 does not have it.
 */
public final class RdbWriter {
    /**
     * How to write.
     *
     * @param compression         LZF-compress strings longer than 20 bytes ({@code rdbcompression})
     * @param checksum            end with a CRC64 ({@code rdbchecksum}); else 0
     * @param aofBase             the AUX field {@code aof-base}: 1 when the file is an AOF base
     * @param usedMemory          the AUX field {@code used-mem}
     * @param listMaxListpackSize the quicklist node limit ({@code list-max-listpack-size})
     * @param clock               for the AUX field {@code ctime}
     * @param keySaveDelayMicros  a pause after each key ({@code rdb-key-save-delay}, Redis's testing
     *                            knob for a slow save); none when 0 or less
     * @param incrementalFsync    {@link #writeFile} fsyncs every {@value #AUTOSYNC_BYTES} bytes as it
     *                            writes ({@code rdb-save-incremental-fsync}), so the final fsync has
     *                            little left to flush
     */
    public record Options(boolean compression, boolean checksum, boolean aofBase, long usedMemory,
                          int listMaxListpackSize, CellarClock clock, int keySaveDelayMicros,
                          boolean incrementalFsync) {
        /** Redis's defaults: compression, checksum and incremental fsync on, nodes of 8 KB. */
        public static Options defaults() {
            return new Options(true, true, false, 0, -2, CellarClock.SYSTEM, 0, true);
        }

        /**
         * The options a store's settings give, by their Redis names, Redis's default for each one
         * absent: {@code rdbcompression}, {@code rdbchecksum}, {@code rdb-save-incremental-fsync},
         * {@code list-max-listpack-size} (or its old name {@code list-max-ziplist-size}),
         * {@code rdb-key-save-delay}, and {@code cellar-used-memory} (the host's count, for the AUX
         * field). The RDB provider and the hybrid's RDB base both read them here.
         *
         * @throws IllegalArgumentException naming the setting, its value and what was expected, for
         *                                  a value Redis would refuse
         */
        public static Options from(CellarConfig config, CellarClock clock) {
            String fill = config.get("list-max-listpack-size");
            if (fill == null) {
                fill = config.get("list-max-ziplist-size");
            }
            return new Options(
                    config.getBoolean("rdbcompression", true),
                    config.getBoolean("rdbchecksum", true),
                    false,
                    integer("cellar-used-memory", config.get("cellar-used-memory"), 0, Long.MAX_VALUE),
                    (int) integer("list-max-listpack-size", fill, -2, Integer.MAX_VALUE),
                    clock,
                    (int) integer("rdb-key-save-delay", config.get("rdb-key-save-delay"), 0, Integer.MAX_VALUE),
                    config.getBoolean("rdb-save-incremental-fsync", true));
        }

        private static long integer(String name, String v, long dflt, long max) {
            if (v == null) {
                return dflt;
            }
            try {
                long n = Long.parseLong(v.trim());
                if (n >= Integer.MIN_VALUE && n <= max) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new IllegalArgumentException("invalid '" + name + "' value '" + v + "' (expected: an integer)");
        }

        public Options withKeySaveDelay(int micros) {
            return new Options(compression, checksum, aofBase, usedMemory, listMaxListpackSize, clock, micros,
                    incrementalFsync);
        }

        public Options withIncrementalFsync(boolean on) {
            return new Options(compression, checksum, aofBase, usedMemory, listMaxListpackSize, clock,
                    keySaveDelayMicros, on);
        }

        public Options withCompression(boolean on) {
            return new Options(on, checksum, aofBase, usedMemory, listMaxListpackSize, clock,
                    keySaveDelayMicros, incrementalFsync);
        }

        public Options withChecksum(boolean on) {
            return new Options(compression, on, aofBase, usedMemory, listMaxListpackSize, clock,
                    keySaveDelayMicros, incrementalFsync);
        }

        public Options withAofBase(boolean on) {
            return new Options(compression, checksum, on, usedMemory, listMaxListpackSize, clock,
                    keySaveDelayMicros, incrementalFsync);
        }

        public Options withUsedMemory(long bytes) {
            return new Options(compression, checksum, aofBase, bytes, listMaxListpackSize, clock,
                    keySaveDelayMicros, incrementalFsync);
        }

        public Options withListMaxListpackSize(int fill) {
            return new Options(compression, checksum, aofBase, usedMemory, fill, clock,
                    keySaveDelayMicros, incrementalFsync);
        }

        public Options withClock(CellarClock c) {
            return new Options(compression, checksum, aofBase, usedMemory, listMaxListpackSize, c,
                    keySaveDelayMicros, incrementalFsync);
        }
    }

    /** Bytes between fsyncs of {@link #writeFile} with incremental fsync on (Redis's {@code REDIS_AUTOSYNC_BYTES}). */
    public static final long AUTOSYNC_BYTES = 4L * 1024 * 1024;

    /** The version string written as {@code redis-ver}: the Redis release whose format this is. */
    public static final String REDIS_VER = "7.0.15";

    private final Options options;
    private final ValueWriter values;

    /** A writer with these options (not thread-safe: it holds a compressor). */
    public RdbWriter(Options options) {
        this.options = options;
        this.values = new ValueWriter(options.compression(), options.listMaxListpackSize());
    }

    /**
     * Writes {@code view} to {@code file} atomically: a temporary file in the same directory,
     * forced to disk, renamed over {@code file}, then the directory forced.
     */
    public void writeFile(SnapshotView view, Path file) throws IOException {
        writeFile(view, file, RdbFiles.DEFAULT);
    }

    /** Like {@link #writeFile(SnapshotView, Path)}, opening and renaming files through {@code files}. */
    public void writeFile(SnapshotView view, Path file, RdbFiles files) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = dir.resolve("temp-" + ProcessHandle.current().pid() + "-" + System.nanoTime() + ".rdb");
        try (FileChannel ch = files.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            OutputStream os = java.nio.channels.Channels.newOutputStream(ch);
            if (options.incrementalFsync()) {
                os = new AutoSync(os, ch);
            }
            write(view, RdbOutput.of(os));
            ch.force(true);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        try {
            files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException ignored) {
            // some file systems cannot open a directory for syncing
        }
    }

    /** Passes writes on to a file's channel and fsyncs it after every {@link #AUTOSYNC_BYTES}. */
    private static final class AutoSync extends java.io.FilterOutputStream {
        private final FileChannel ch;
        private long sinceSync;

        AutoSync(OutputStream out, FileChannel ch) {
            super(out);
            this.ch = ch;
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            wrote(1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            wrote(len);
        }

        private void wrote(int n) throws IOException {
            sinceSync += n;
            if (sinceSync >= AUTOSYNC_BYTES) {
                ch.force(false);
                sinceSync = 0;
            }
        }
    }

    /** Writes the whole file to {@code out} and flushes it. */
    public void write(SnapshotView view, RdbOutput out) throws IOException {
        writeHeader(out);
        for (int db = 0; db < view.databases(); db++) {
            writeDatabase(view, db, out);
        }
        writeFooter(out);
    }

    /** Magic, version and AUX fields. */
    void writeHeader(RdbOutput out) throws IOException {
        out.write((MAGIC + String.format("%04d", VERSION_WRITTEN)).getBytes(StandardCharsets.US_ASCII));
        aux(out, "redis-ver", REDIS_VER);
        aux(out, "redis-bits", "64");
        aux(out, "ctime", Long.toString(options.clock().currentTimeMillis() / 1000));
        aux(out, "used-mem", Long.toString(options.usedMemory()));
        aux(out, "aof-base", options.aofBase() ? "1" : "0");
    }

    private void aux(RdbOutput out, String key, String value) throws IOException {
        out.writeByte(OPCODE_AUX);
        values.writeString(out, key.getBytes(StandardCharsets.UTF_8));
        values.writeString(out, value.getBytes(StandardCharsets.UTF_8));
    }

    /** SELECTDB, RESIZEDB and the keys of one database, nothing when it is empty. */
    void writeDatabase(SnapshotView view, int db, RdbOutput out) throws IOException {
        long size = view.size(db);
        if (size == 0) {
            return;
        }
        out.writeByte(OPCODE_SELECTDB);
        ValueWriter.writeLength(out, db);
        out.writeByte(OPCODE_RESIZEDB);
        ValueWriter.writeLength(out, size);
        ValueWriter.writeLength(out, view.expiresSize(db));
        try {
            long delayNanos = options.keySaveDelayMicros() * 1000L;
            view.forEach(db, (key, value, expireAt, idle, freq) -> {
                try {
                    writeEntry(out, key, value, expireAt, idle, freq);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                if (delayNanos > 0) {
                    java.util.concurrent.locks.LockSupport.parkNanos(delayNanos);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** One key with its expiry, idle time and frequency (each only when known). */
    void writeEntry(RdbOutput out, byte[] key, DataValue value, long expireAtMillis, long lruIdleMillis, int lfuFrequency)
            throws IOException {
        if (expireAtMillis != -1) {
            out.writeByte(OPCODE_EXPIRETIME_MS);
            out.writeLongLE(expireAtMillis);
        }
        if (lruIdleMillis >= 0) {
            out.writeByte(OPCODE_IDLE);
            ValueWriter.writeLength(out, lruIdleMillis / 1000);
        }
        if (lfuFrequency >= 0) {
            out.writeByte(OPCODE_FREQ);
            out.writeByte(Math.min(lfuFrequency, 255));
        }
        int type = ValueWriter.typeOf(value);
        out.writeByte(type);
        values.writeString(out, key);
        values.writeValue(out, type, value);
    }

    /** EOF and the checksum, then a flush. */
    void writeFooter(RdbOutput out) throws IOException {
        out.writeByte(OPCODE_EOF);
        long crc = options.checksum() ? out.crc() : 0;
        out.writeLongLE(crc);
        out.flush();
    }
}
