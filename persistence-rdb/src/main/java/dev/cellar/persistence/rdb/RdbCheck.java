package dev.cellar.persistence.rdb;

import dev.cellar.api.CellarClock;
import dev.cellar.spi.persistence.DataValue;
import dev.cellar.spi.persistence.LoadSink;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * check-rdb: walks an RDB file like {@code redis-check-rdb} and reports its version, AUX fields,
 * databases, keys read, expires, already-expired keys and the checksum, or where and why it is
 * corrupt. Exit code 0 when the file is sound, 1 otherwise.
 */
public final class RdbCheck {
    private RdbCheck() {}

    /** {@code check-rdb FILE}. */
    public static void main(String[] args) {
        System.exit(run(args, System.out, CellarClock.SYSTEM));
    }

    /** Runs the check, printing to {@code out}; returns the exit code. */
    public static int run(String[] args, PrintStream out, CellarClock clock) {
        if (args.length != 1) {
            out.println("Usage: check-rdb <rdb-file-name>");
            return 1;
        }
        Path file = Path.of(args[0]);
        out.println("[offset 0] Checking RDB file " + file);
        long[] counts = new long[3]; // read, expires, already expired
        Map<Integer, Long> perDb = new TreeMap<>();
        String[] current = {null};
        RdbReader.Listener listener = new RdbReader.Listener() {
            @Override
            public void version(int version) {
                out.println("[offset 9] RDB version " + version);
            }

            @Override
            public void aux(long offset, byte[] key, byte[] value) {
                out.println("[offset " + offset + "] AUX FIELD " + RdbReader.printable(key) + " = '"
                        + RdbReader.printable(value) + "'");
            }

            @Override
            public void selectDb(long offset, int db) {
                out.println("[offset " + offset + "] Selecting DB ID " + db);
            }

            @Override
            public void resizeDb(long offset, long size, long expiresSize) {
                out.println("[offset " + offset + "] RESIZEDB: " + size + " keys, " + expiresSize + " with an expiry");
            }

            @Override
            public void function(long offset, byte[] code) {
                out.println("[offset " + offset + "] Function library (" + code.length + " bytes), not loaded by Cellar");
            }

            @Override
            public void key(long offset, int db, byte[] key, int type, long expireAtMillis, RdbReader.KeyOutcome outcome) {
                counts[0]++;
                if (expireAtMillis != -1) {
                    counts[1]++;
                }
                if (outcome == RdbReader.KeyOutcome.EXPIRED) {
                    counts[2]++;
                }
                if (outcome == RdbReader.KeyOutcome.EMPTY) {
                    out.println("[offset " + offset + "] Empty key '" + RdbReader.printable(key) + "' (Redis skips it)");
                }
                perDb.merge(db, 1L, Long::sum);
            }
        };
        LoadSink discard = new LoadSink() {
            @Override
            public void put(int db, byte[] key, DataValue value, long expireAtMillis) {}

            @Override
            public String replay(int db, byte[][] argv) {
                return null;
            }
        };
        int code;
        try (InputStream in = Files.newInputStream(file)) {
            RdbReader.Result r = new RdbReader(RdbReader.Options.defaults().withClock(clock).withDatabases(Integer.MAX_VALUE))
                    .listener(listener).read(RdbInput.of(in), discard, Files.size(file));
            switch (r.checksum()) {
                case OK -> out.println("[offset " + r.bytes() + "] Checksum OK");
                case DISABLED -> out.println("[offset " + r.bytes() + "] RDB file was saved with checksum disabled: no check performed.");
                case ABSENT -> out.println("[offset " + r.bytes() + "] No checksum (RDB version " + r.version() + " has none)");
            }
            out.println("[offset " + r.bytes() + "] \\o/ RDB looks OK! \\o/");
            code = 0;
        } catch (RdbFormatException e) {
            out.println("--- RDB ERROR DETECTED ---");
            out.println("[offset " + e.offset() + "] " + e.problem());
            if (e.context() != null) {
                out.println("[additional info] While " + e.context());
            }
            code = 1;
        } catch (NoSuchFileException e) {
            out.println("Cannot open file: " + file);
            return 1;
        } catch (IOException e) {
            out.println("--- RDB ERROR DETECTED ---");
            out.println("I/O error: " + e.getMessage());
            code = 1;
        }
        for (Map.Entry<Integer, Long> e : perDb.entrySet()) {
            out.println("[info] db " + e.getKey() + ": " + e.getValue() + " keys");
        }
        out.println("[info] " + counts[0] + " keys read");
        out.println("[info] " + counts[1] + " expires");
        out.println("[info] " + counts[2] + " already expired");
        return code;
    }
}
