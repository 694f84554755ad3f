package dev.cellar.persistence.aof;

import dev.cellar.spi.persistence.DataValue;
import dev.cellar.spi.persistence.ForwardingLoadSink;
import dev.cellar.spi.persistence.LoadSink;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replays AOF files into a {@link LoadSink}, as Redis's {@code loadSingleAppendOnlyFile}: the
 * base then the incremental files, each starting in database 0; {@code SELECT} switches the
 * database; a {@code MULTI} block is replayed at its {@code EXEC}, and one the file ends inside is
 * dropped; annotations are skipped.
 *
 * <p>Faults: only the last file may end early. With {@code aof-load-truncated yes} it is cut back
 * to the end of its last whole command (on disk too, so that appending continues from a clean
 * end); otherwise, and for any format error, loading stops with the file, the offset, what was
 * expected there and the check-aof command that repairs it.
 */
final class AofLoader {
    private static final Logger LOG = LoggerFactory.getLogger(AofLoader.class);
    private static final byte[] RDB_MAGIC = "REDIS".getBytes(StandardCharsets.US_ASCII);
    /** How many bytes of the log are replayed between two progress reports. */
    private static final long PROGRESS_BYTES = 1 << 16;

    /** Receives each command of a file; throws to stop. */
    @FunctionalInterface
    interface Replayer {
        void replay(int db, byte[][] argv, long offset) throws IOException;
    }

    /** What a scan of one file found. */
    record Scan(long size, long validUpTo, long validLines, long lines, long commands, AofReader.FormatException fault,
                boolean openMulti, long lastArgOffset) {
        boolean clean() {
            return fault == null && !openMulti;
        }
    }

    private final List<AofBaseFormat> formats;
    private final int databases;
    private final String legacyName;

    /** A loader; {@code legacyName} is {@code appendfilename}, the name of an old-style single AOF. */
    AofLoader(List<AofBaseFormat> formats, int databases, String legacyName) {
        this.formats = List.copyOf(formats);
        this.databases = databases;
        this.legacyName = legacyName;
    }

    /**
     * Reads the commands of {@code file} from {@code offset}; stops at the first fault, which the
     * result holds. {@code replayer} sees every command outside a transaction at once and a
     * transaction's commands when its {@code EXEC} is read.
     */
    Scan scan(Path file, long offset, Replayer replayer) throws IOException {
        long size = Files.size(file);
        long validUpTo = offset;
        long validLines = 0;
        long multiStart = -1;
        long commands = 0;
        long lastArgOffset = 0;
        int db = 0;
        List<Object[]> multi = null;
        try (AofReader reader = AofReader.open(file, offset)) {
            try {
                byte[][] argv;
                while ((argv = reader.nextArgv()) != null) {
                    if (argv == AofReader.ANNOTATION) {
                        if (multi == null) {
                            validUpTo = reader.itemEnd();
                            validLines = reader.lines();
                        }
                        continue;
                    }
                    long start = reader.itemStart();
                    long end = reader.itemEnd();
                    commands++;
                    lastArgOffset = end - argv[argv.length - 1].length - 2;
                    if (argv.length == 2 && AofReader.is(argv, "SELECT")) {
                        db = selectIndex(argv[1], start);
                    } else if (AofReader.is(argv, "MULTI")) {
                        if (multi != null) {
                            throw new AofReader.FormatException(start, false, "Unexpected MULTI");
                        }
                        multi = new ArrayList<>();
                        multiStart = start;
                        continue;
                    } else if (AofReader.is(argv, "EXEC")) {
                        if (multi == null) {
                            throw new AofReader.FormatException(start, false, "Unexpected EXEC");
                        }
                        for (Object[] queued : multi) {
                            replayer.replay((Integer) queued[0], (byte[][]) queued[1], (Long) queued[2]);
                        }
                        multi = null;
                    } else if (multi != null) {
                        multi.add(new Object[] {db, argv, start});
                    } else {
                        replayer.replay(db, argv, start);
                    }
                    if (multi == null) {
                        validUpTo = end;
                        validLines = reader.lines();
                    }
                }
                return new Scan(size, multi == null ? validUpTo : multiStart, validLines, reader.lines(), commands, null,
                        multi != null, lastArgOffset);
            } catch (AofReader.FormatException fault) {
                return new Scan(size, multi == null ? validUpTo : multiStart, validLines, reader.lines(), commands, fault,
                        multi != null, lastArgOffset);
            }
        }
    }

    private int selectIndex(byte[] arg, long offset) throws AofReader.FormatException {
        String s = new String(arg, StandardCharsets.US_ASCII);
        try {
            int db = Integer.parseInt(s);
            if (db >= 0 && db < databases) {
                return db;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new AofReader.FormatException(offset, false, "SELECT " + s + ": invalid database index (expected: 0 to "
                + (databases - 1) + "; is 'databases' set lower than when the file was written?)");
    }

    /** The base format a file starts with, or null for RESP commands. */
    AofBaseFormat formatOf(Path file) throws IOException {
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(16);
        }
        for (AofBaseFormat f : formats) {
            if (f.recognizes(head)) {
                return f;
            }
        }
        if (startsWithRdbMagic(head)) {
            throw new IOException("The AOF file " + file + " starts with an RDB preamble ('REDIS'); loading it needs an"
                    + " RDB base format, which the hybrid persistence module (dev.cellar.persistence.hybrid) provides,"
                    + " and none is present");
        }
        return null;
    }

    static boolean startsWithRdbMagic(byte[] head) {
        if (head.length < RDB_MAGIC.length) {
            return false;
        }
        for (int i = 0; i < RDB_MAGIC.length; i++) {
            if (head[i] != RDB_MAGIC[i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * Loads one file of the log into {@code sink}; {@code last} says whether it may be truncated.
     * Returns the file's size after loading (smaller when it was cut back).
     */
    long load(Path file, boolean last, boolean loadTruncated, String fixTarget, LoadSink sink, long[] progress,
              long total) throws IOException {
        long offset = 0;
        AofBaseFormat format = formatOf(file);
        if (format != null) {
            // Redis's lines: a base that still has the old single file's name (appendfilename, kept
            // when an old-style AOF is moved into the directory) is read as an old-style preamble.
            boolean oldStyle = file.getFileName().toString().equals(legacyName);
            LOG.info(oldStyle ? "Reading RDB preamble from AOF file..." : "Reading RDB base file on AOF loading...");
            // The format counts its progress within this file; INFO's loading_* fields count the
            // whole log, as Redis's do (total_size of all files; before, the base's percentage ran
            // to 100 of its own size and then fell back when the incremental file began).
            long before = progress[0];
            offset = format.load(file, new ForwardingLoadSink(sink) {
                @Override
                public void progress(long loadedBytes, long totalBytes) {
                    delegate.progress(before + loadedBytes, total);
                }
            }, databases);
            if (oldStyle) {
                LOG.info("Reading the remaining AOF tail...");
            }
        }
        long base = progress[0];
        long[] nextReport = {base};
        Scan scan = scan(file, offset, (db, argv, at) -> {
            String error = sink.replay(db, argv);
            if (error != null) {
                throw new IOException("Error replaying the AOF file " + file + " at offset " + at + ": command '"
                        + describe(argv) + "' in database " + db + " failed: " + error);
            }
            progress[0] = base + at;
            if (progress[0] >= nextReport[0]) {
                // every PROGRESS_BYTES: INFO's loading_* fields, and the lock lent to waiting clients
                sink.progress(progress[0], total);
                nextReport[0] = progress[0] + PROGRESS_BYTES;
            }
        });
        progress[0] = base + scan.size();
        if (scan.clean()) {
            return scan.size();
        }
        String check = "check-aof --fix " + fixTarget + " (dev.cellar.persistence.aof.AofCheck)";
        boolean shortRead = scan.fault() == null || scan.fault().shortRead;
        if (!shortRead) {
            AofReader.FormatException f = scan.fault();
            throw new IOException("Bad file format reading the append only file " + file + " at offset " + f.offset
                    + ": " + f.getMessage() + ". Make a backup of your AOF file, then run " + check);
        }
        String what = scan.openMulti() && scan.fault() == null ? "an unfinished MULTI/EXEC transaction"
                : "an incomplete command (" + scan.fault().getMessage() + " at offset " + scan.fault().offset + ")";
        if (!last) {
            throw new IOException("The AOF file " + file + " ends with " + what + " but it is not the last file of the"
                    + " AOF: only the last file may be truncated. Make a backup, then run " + check);
        }
        if (!loadTruncated) {
            throw new IOException("Unexpected end of file reading the append only file " + file + ": it ends with "
                    + what + ". You can: 1) make a backup of your AOF file, then run " + check
                    + "; 2) alternatively set the 'aof-load-truncated' configuration option to yes and restart");
        }
        if (scan.openMulti()) {
            LOG.warn("Revert incomplete MULTI/EXEC transaction in AOF file {}", file);
        }
        LOG.warn("!!! Warning: short read while loading the AOF file {}: it ends with {} !!!", file, what);
        LOG.warn("!!! Truncating the AOF {} at offset {}: {} bytes cut !!!", file, scan.validUpTo(),
                scan.size() - scan.validUpTo());
        try (var ch = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.WRITE)) {
            ch.truncate(scan.validUpTo());
            ch.force(true);
        }
        LOG.warn("AOF {} loaded anyway because aof-load-truncated is enabled", file);
        return scan.validUpTo();
    }

    static String describe(byte[][] argv) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < argv.length && i < 4; i++) {
            if (i > 0) {
                sb.append(' ');
            }
            String s = new String(argv[i], StandardCharsets.UTF_8);
            sb.append(s.length() > 64 ? s.substring(0, 64) + "..." : s);
        }
        if (argv.length > 4) {
            sb.append(" ... (").append(argv.length).append(" arguments)");
        }
        return sb.toString();
    }

    /** A sink that keeps nothing: for checking files. */
    static final LoadSink DISCARD = new LoadSink() {
        @Override
        public void put(int db, byte[] key, DataValue value, long expireAtMillis) {}

        @Override
        public String replay(int db, byte[][] argv) {
            return null;
        }
    };
}
