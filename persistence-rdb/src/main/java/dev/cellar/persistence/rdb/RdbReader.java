package dev.cellar.persistence.rdb;

import static dev.cellar.persistence.rdb.RdbConstants.*;

import dev.cellar.api.CellarClock;
import dev.cellar.spi.persistence.DataValue;
import dev.cellar.spi.persistence.LoadSink;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads an RDB file of any version Redis 7.x loads (1 to 12) into a {@link LoadSink}, like Redis's
 * rdbLoadRio: header, then opcodes (AUX, SELECTDB, RESIZEDB, EXPIRETIME(_MS), IDLE, FREQ, FUNCTION2)
 * and key-value pairs, then EOF and, from version 5, the CRC64 of everything before it (0 meaning
 * the writer had checksums off).
 *
 * <p>As Redis 7.0 does: keys whose expiry is already past are dropped (unless
 * {@link Options#dropExpired} is off, as for an AOF preamble), empty collections are skipped with a
 * warning, functions are skipped with a warning (Cellar has no functions), and modules and streams
 * are refused with an error naming the type and offset. Every problem is a
 * {@link RdbFormatException} naming the offset, what was expected, and the key being read.
 */
public final class RdbReader {
    private static final Logger LOG = LoggerFactory.getLogger(RdbReader.class);
    private static final long PROGRESS_EVERY_BYTES = 1 << 21;
    /**
     * The fewest bytes a key takes in a file (type, an empty key's length, a one-byte value), and
     * with an expiry in seconds before it: RESIZEDB's hint is believed only as far as the bytes
     * left in the file could hold that many keys, so a corrupt size cannot make the sink allocate
     * tables for billions of keys.
     */
    static final int MIN_KEY_BYTES = 3;
    static final int MIN_EXPIRING_KEY_BYTES = MIN_KEY_BYTES + 5;
    /** The bytes assumed left when the input's size is unknown (a stream): at most about 350,000 keys reserved. */
    static final long UNSIZED_RESERVE_BYTES = 1L << 20;

    /**
     * How to load.
     *
     * @param clock       "now" for dropping keys that have already expired
     * @param dropExpired drop keys whose expiry is past (Redis does, except for an AOF preamble)
     * @param databases   the number of databases; a SELECTDB beyond it is an error
     */
    public record Options(CellarClock clock, boolean dropExpired, int databases) {
        /** The system clock, expired keys dropped, 16 databases. */
        public static Options defaults() {
            return new Options(CellarClock.SYSTEM, true, 16);
        }

        public Options withClock(CellarClock c) {
            return new Options(c, dropExpired, databases);
        }

        public Options withDropExpired(boolean drop) {
            return new Options(clock, drop, databases);
        }

        public Options withDatabases(int n) {
            return new Options(clock, dropExpired, n);
        }
    }

    /** Observes the structure of a file as it is read (check-rdb prints it). All methods optional. */
    public interface Listener {
        default void version(int version) {}

        default void aux(long offset, byte[] key, byte[] value) {}

        default void selectDb(long offset, int db) {}

        default void resizeDb(long offset, long size, long expiresSize) {}

        /** A key was read; {@code outcome} says what became of it. */
        default void key(long offset, int db, byte[] key, int type, long expireAtMillis, KeyOutcome outcome) {}

        default void function(long offset, byte[] code) {}
    }

    /** What happened to a key that was read. */
    public enum KeyOutcome { LOADED, EXPIRED, EMPTY }

    /** What the checksum at EOF said. */
    public enum ChecksumStatus { OK, DISABLED, ABSENT }

    /**
     * What a load found.
     *
     * @param keysPerDb keys loaded per database
     */
    public record Result(int version, Map<String, String> aux, long keysRead, long keysLoaded, long expires,
                         long expiredDropped, long emptySkipped, Map<Integer, Long> keysPerDb,
                         ChecksumStatus checksum, long bytes) {}

    private final Options options;
    private Listener listener = new Listener() {};

    /** A reader with these options. */
    public RdbReader(Options options) {
        this.options = options;
    }

    /** Observes what is read. */
    public RdbReader listener(Listener l) {
        this.listener = l;
        return this;
    }

    /** Loads a file. */
    public Result read(Path file, LoadSink sink) throws IOException {
        long size = Files.size(file);
        try (InputStream in = Files.newInputStream(file)) {
            return read(RdbInput.of(in), sink, size);
        }
    }

    /** Loads from {@code in} until the EOF opcode and checksum; {@code totalBytes} is for progress (0 if unknown). */
    public Result read(RdbInput in, LoadSink sink, long totalBytes) throws IOException {
        long now = options.clock().currentTimeMillis();
        int version = readHeader(in);
        listener.version(version);
        Map<String, String> aux = new LinkedHashMap<>();
        Map<Integer, Long> perDb = new TreeMap<>();
        long dbLoaded = 0; // keys loaded into db since it was selected, added to perDb on the next SELECTDB or EOF
        long keysRead = 0;
        long loaded = 0;
        long expires = 0;
        long expiredDropped = 0;
        long empty = 0;
        long nextProgress = PROGRESS_EVERY_BYTES;
        int db = 0;
        long expireAt = -1;
        long idle = -1;
        int freq = -1;
        while (true) {
            long at = in.offset();
            int type = in.readUnsignedByte("opcode or value type");
            switch (type) {
                case OPCODE_EXPIRETIME_MS -> {
                    expireAt = in.readLongLE("expire time in milliseconds");
                    continue;
                }
                case OPCODE_EXPIRETIME -> {
                    expireAt = (long) in.readIntLE("expire time in seconds") * 1000;
                    continue;
                }
                case OPCODE_FREQ -> {
                    freq = in.readUnsignedByte("LFU frequency");
                    continue;
                }
                case OPCODE_IDLE -> {
                    idle = ValueReader.readLength(in, "LRU idle time") * 1000;
                    continue;
                }
                case OPCODE_EOF -> {
                    count(perDb, db, dbLoaded);
                    return finish(in, version, aux, keysRead, loaded, expires, expiredDropped, empty, perDb, totalBytes, sink);
                }
                case OPCODE_SELECTDB -> {
                    long id = ValueReader.readLength(in, "database number");
                    if (id >= options.databases()) {
                        throw new RdbFormatException(at, "SELECTDB " + id + " (expected: < " + options.databases()
                                + ", the number of databases)");
                    }
                    count(perDb, db, dbLoaded);
                    dbLoaded = 0;
                    db = (int) id;
                    listener.selectDb(at, db);
                    continue;
                }
                case OPCODE_RESIZEDB -> {
                    long size = ValueReader.readLength(in, "RESIZEDB database size");
                    long exp = ValueReader.readLength(in, "RESIZEDB expires size");
                    listener.resizeDb(at, size, exp);
                    long remaining = totalBytes > 0 ? totalBytes - in.offset() : UNSIZED_RESERVE_BYTES;
                    sink.reserve(db, Math.min(size, remaining / MIN_KEY_BYTES),
                            Math.min(Math.min(exp, size), remaining / MIN_EXPIRING_KEY_BYTES));
                    continue;
                }
                case OPCODE_AUX -> {
                    byte[] k = ValueReader.readString(in, "AUX field name");
                    byte[] v = ValueReader.readString(in, "AUX field value");
                    String name = new String(k, StandardCharsets.UTF_8);
                    String text = new String(v, StandardCharsets.UTF_8);
                    aux.put(name, text);
                    sink.snapshotField(name, text);
                    listener.aux(at, k, v);
                    continue;
                }
                case OPCODE_FUNCTION2 -> {
                    byte[] code = ValueReader.readString(in, "function library code");
                    LOG.warn("RDB at offset {} holds a function library; Cellar has no functions, skipping it", at);
                    listener.function(at, code);
                    continue;
                }
                case OPCODE_FUNCTION_PRE_GA ->
                        throw new RdbFormatException(at, "pre-release function format (opcode 246) is not supported (as in Redis 7.0)");
                case OPCODE_MODULE_AUX ->
                        throw new RdbFormatException(at, "module auxiliary data (opcode 247): Cellar has no modules to load it");
                case OPCODE_SLOT_INFO -> {
                    ValueReader.readLength(in, "slot id");
                    ValueReader.readLength(in, "slot size");
                    ValueReader.readLength(in, "slot expires size");
                    continue;
                }
                default -> {
                    // a key-value pair
                }
            }
            if (!isValueType(type) || type == TYPE_MODULE_PRE_GA || type == TYPE_MODULE_2
                    || type == TYPE_STREAM_LISTPACKS || type == TYPE_STREAM_LISTPACKS_2 || type == TYPE_STREAM_LISTPACKS_3) {
                String name = typeName(type);
                throw new RdbFormatException(at, name == null
                        ? "unknown opcode or value type " + type + " (expected: a value type 0-21 or an opcode 244-255)"
                        : "value type " + type + " (" + name + ") is not supported by Cellar");
            }
            byte[] key = ValueReader.readString(in, "key");
            DataValue value;
            try {
                value = ValueReader.readValue(type, in);
            } catch (RdbFormatException e) {
                throw e.withContext("reading key '" + printable(key) + "' of type " + type + " (" + typeName(type) + ")");
            }
            keysRead++;
            if (expireAt != -1) {
                expires++;
            }
            KeyOutcome outcome;
            if (value == null) {
                if (empty++ < 10) {
                    LOG.info("rdbLoadObject skipping empty key: {}", printable(key)); // Redis's line
                }
                outcome = KeyOutcome.EMPTY;
            } else if (expireAt != -1 && options.dropExpired() && expireAt < now) {
                expiredDropped++;
                outcome = KeyOutcome.EXPIRED;
            } else {
                sink.put(db, key, value, expireAt, idle, freq);
                loaded++;
                dbLoaded++;
                outcome = KeyOutcome.LOADED;
            }
            listener.key(at, db, key, type, expireAt, outcome);
            expireAt = -1;
            idle = -1;
            freq = -1;
            if (in.offset() >= nextProgress) {
                sink.progress(in.offset(), totalBytes);
                nextProgress = in.offset() + PROGRESS_EVERY_BYTES;
            }
        }
    }

    private Result finish(RdbInput in, int version, Map<String, String> aux, long keysRead, long loaded, long expires,
                          long expiredDropped, long empty, Map<Integer, Long> perDb, long totalBytes, LoadSink sink)
            throws IOException {
        ChecksumStatus status = ChecksumStatus.ABSENT;
        if (version >= VERSION_CHECKSUM) {
            long expected = in.crc();
            long at = in.offset();
            long stored = in.readLongLE("CRC64 checksum");
            if (stored == 0) {
                status = ChecksumStatus.DISABLED;
            } else if (stored != expected) {
                throw new RdbFormatException(at, String.format("wrong RDB checksum: file says %016x (expected: %016x, computed)",
                        stored, expected));
            } else {
                status = ChecksumStatus.OK;
            }
        }
        sink.progress(in.offset(), totalBytes);
        sink.snapshotLoaded(loaded, expiredDropped, empty);
        return new Result(version, Collections.unmodifiableMap(aux), keysRead, loaded, expires, expiredDropped, empty,
                Collections.unmodifiableMap(perDb), status, in.offset());
    }

    private static void count(Map<Integer, Long> perDb, int db, long loaded) {
        if (loaded > 0) {
            perDb.merge(db, loaded, Long::sum);
        }
    }

    /** Reads "REDIS" and the 4-digit version; refuses other files and versions. */
    static int readHeader(RdbInput in) throws IOException {
        byte[] h = in.readBytes(9, "header 'REDISnnnn'");
        String s = new String(h, StandardCharsets.ISO_8859_1);
        if (!s.startsWith(MAGIC)) {
            throw new RdbFormatException(0, "wrong signature '" + printable(h) + "' (expected: 'REDIS' and a 4-digit version)");
        }
        int version;
        try {
            version = Integer.parseInt(s.substring(5));
        } catch (NumberFormatException e) {
            throw new RdbFormatException(5, "version '" + printable(java.util.Arrays.copyOfRange(h, 5, 9))
                    + "' (expected: 4 digits)");
        }
        if (version < VERSION_MIN || version > VERSION_MAX || !Character.isDigit(s.charAt(5))) {
            throw new RdbFormatException(5, "can't handle RDB format version " + version + " (expected: "
                    + VERSION_MIN + " to " + VERSION_MAX + ")");
        }
        return version;
    }

    /** Bytes as text, non-printable ones escaped. */
    static String printable(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < b.length && i < 200; i++) {
            int c = b[i] & 0xff;
            if (c >= 32 && c < 127 && c != '\\') {
                sb.append((char) c);
            } else {
                sb.append(String.format("\\x%02x", c));
            }
        }
        if (b.length > 200) {
            sb.append("...");
        }
        return sb.toString();
    }
}
