package dev.cellar.conformance.selftest;

import dev.cellar.conformance.FileFaults;
import dev.cellar.spi.persistence.LoadSink;
import dev.cellar.spi.persistence.PersistenceContext;
import dev.cellar.spi.persistence.PersistenceEngine;
import dev.cellar.spi.persistence.PersistenceProvider;
import dev.cellar.spi.persistence.PropagatedWrite;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.CRC32C;

/**
 * The kit's own test provider, {@code kit-log}: a write-through log of the propagated write stream.
 * It exists to show that the kit passes for a correct backend and fails for broken ones
 * ({@link Flaw}); it is not a product.
 *
 * <p>File {@code cellar.log}: the magic {@code CLOG1\n}, then records of
 * {@code [u32 payload length][u32 CRC32C of payload][payload]}, the payload being
 * {@code [u32 db][u32 argc]([u32 length][bytes])*}. flushBatch writes the batch and fsyncs it; a
 * batch that fails to reach the disk is cut off the file again and retried with the next batch.
 * Loading replays each record; a record cut short at the end of the file is a torn append and is
 * dropped (the file is truncated to the last whole record); a checksum mismatch is refused.
 */
public class LogProvider implements PersistenceProvider {
    static final String FILE = "cellar.log";
    private static final byte[] MAGIC = "CLOG1\n".getBytes(StandardCharsets.US_ASCII);

    /** Interim fault-injection seam: the kit's FileFaults per directory (see docs/conformance.md). */
    static final Map<Path, FileFaults> FAULTS = new ConcurrentHashMap<>();

    /** Deliberate defects, to prove the kit catches them. */
    enum Flaw { NONE, DROPS_LAST_WRITE, LOSES_EXPIRIES, IGNORES_CHECKSUMS, FORGETS_FAILED_WRITES }

    private final String name;
    private final Flaw flaw;

    public LogProvider() {
        this("kit-log", Flaw.NONE);
    }

    LogProvider(String name, Flaw flaw) {
        this.name = name;
        this.flaw = flaw;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public PersistenceEngine create(PersistenceContext context) {
        Path dir = context.dir().toAbsolutePath().normalize();
        return new Log(dir.resolve(FILE), FAULTS.get(dir), flaw);
    }

    /** The running log. */
    private static final class Log implements PersistenceEngine {
        private final Path file;
        private final FileFaults faults;
        private final Flaw flaw;
        private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
        private FileChannel channel;
        private long durableSize;
        private long lastRecordStart = -1;
        private long records;

        Log(Path file, FileFaults faults, Flaw flaw) {
            this.file = file;
            this.faults = faults;
            this.flaw = flaw;
        }

        private FileChannel openChannel() throws IOException {
            Files.createDirectories(file.getParent());
            StandardOpenOption[] options = {StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE};
            return faults == null ? FileChannel.open(file, options) : faults.open(file, options);
        }

        @Override
        public void load(LoadSink sink) throws IOException {
            channel = openChannel();
            long size = channel.size();
            if (size == 0) {
                writeFully(ByteBuffer.wrap(MAGIC), 0);
                channel.force(true);
                durableSize = MAGIC.length;
                return;
            }
            ByteBuffer all = ByteBuffer.allocate((int) size);
            while (all.hasRemaining() && channel.read(all, all.position()) > 0) {
                // read the whole file
            }
            all.flip();
            byte[] magic = new byte[Math.min(MAGIC.length, all.remaining())];
            all.get(magic);
            if (!Arrays.equals(magic, MAGIC)) {
                throw new IOException(file.getFileName() + ": not a kit-log file (bad magic at offset 0)");
            }
            long offset = MAGIC.length;
            while (all.remaining() > 0) {
                if (all.remaining() < 8) {
                    break; // torn header
                }
                int length = all.getInt();
                int crc = all.getInt();
                if (length < 8 || length > all.remaining()) {
                    all.position(all.position() - 8);
                    break; // torn payload (or a length past the end)
                }
                byte[] payload = new byte[length];
                all.get(payload);
                CRC32C check = new CRC32C();
                check.update(payload);
                if ((int) check.getValue() != crc && flaw != Flaw.IGNORES_CHECKSUMS) {
                    throw new IOException(String.format("%s: checksum mismatch in the record at offset %d"
                            + " (stored CRC32C %08x, computed %08x)", file.getFileName(), offset, crc, (int) check.getValue()));
                }
                replay(sink, ByteBuffer.wrap(payload), offset);
                lastRecordStart = offset;
                offset += 8 + length;
            }
            if (offset < size) {
                // A torn append: keep the whole records, drop the rest, like aof-load-truncated.
                channel.truncate(offset);
                channel.force(true);
            }
            durableSize = offset;
        }

        private void replay(LoadSink sink, ByteBuffer payload, long offset) throws IOException {
            int db = payload.getInt();
            int argc = payload.getInt();
            byte[][] argv = new byte[argc][];
            for (int i = 0; i < argc; i++) {
                argv[i] = new byte[payload.getInt()];
                payload.get(argv[i]);
            }
            String error = sink.replay(db, argv);
            if (error != null) {
                throw new IOException(file.getFileName() + ": replaying the record at offset " + offset + " failed: " + error);
            }
            records++;
        }

        @Override
        public void write(PropagatedWrite write) {
            byte[][] argv = write.argv();
            if (flaw == Flaw.LOSES_EXPIRIES) {
                argv = withoutExpiry(argv);
                if (argv == null) {
                    return;
                }
            }
            try {
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                DataOutputStream out = new DataOutputStream(bytes);
                out.writeInt(write.db());
                out.writeInt(argv.length);
                for (byte[] arg : argv) {
                    out.writeInt(arg.length);
                    out.write(arg);
                }
                byte[] payload = bytes.toByteArray();
                CRC32C crc = new CRC32C();
                crc.update(payload);
                DataOutputStream record = new DataOutputStream(pending);
                record.writeInt(payload.length);
                record.writeInt((int) crc.getValue());
                record.write(payload);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private static byte[][] withoutExpiry(byte[][] argv) {
            String command = new String(argv[0], StandardCharsets.US_ASCII).toUpperCase();
            if (command.startsWith("PEXPIRE") || command.startsWith("EXPIRE")) {
                return null;
            }
            if (command.equals("SET") && argv.length == 5) {
                return Arrays.copyOf(argv, 3);
            }
            return argv;
        }

        @Override
        public void flushBatch() throws IOException {
            if (pending.size() == 0) {
                return;
            }
            byte[] batch = pending.toByteArray();
            try {
                writeFully(ByteBuffer.wrap(batch), durableSize);
                channel.force(false);
            } catch (IOException e) {
                if (flaw == Flaw.FORGETS_FAILED_WRITES) {
                    // The defect: leave the torn batch in the file and drop it from memory.
                    durableSize = channel.size();
                    pending.reset();
                    throw e;
                }
                // Cut the partial batch off again so that nothing torn sits before later records;
                // keep it pending, so the next batch retries it in order.
                try {
                    channel.truncate(durableSize);
                } catch (IOException suppressed) {
                    e.addSuppressed(suppressed);
                }
                throw e;
            }
            lastRecordStart = durableSize + lastRecordOffset(batch);
            durableSize += batch.length;
            pending.reset();
        }

        private static long lastRecordOffset(byte[] batch) {
            ByteBuffer b = ByteBuffer.wrap(batch);
            long last = 0;
            while (b.remaining() >= 8) {
                last = b.position();
                int length = b.getInt();
                b.position(b.position() + 4 + length);
            }
            return last;
        }

        private void writeFully(ByteBuffer buffer, long position) throws IOException {
            long at = position;
            while (buffer.hasRemaining()) {
                at += channel.write(buffer, at);
            }
        }

        @Override
        public Map<String, String> info() {
            return Map.of("aof_enabled", "1", "kit_log_records_loaded", Long.toString(records));
        }

        @Override
        public void close() throws IOException {
            if (channel == null) {
                return;
            }
            try {
                flushBatch();
                if (flaw == Flaw.DROPS_LAST_WRITE && lastRecordStart > 0) {
                    channel.truncate(lastRecordStart);
                }
                channel.force(true);
            } finally {
                channel.close();
            }
        }
    }

    /** {@code kit-log-drops-last-write}: loses the last record at close. */
    public static final class DropsLastWrite extends LogProvider {
        public DropsLastWrite() {
            super("kit-log-drops-last-write", Flaw.DROPS_LAST_WRITE);
        }
    }

    /** {@code kit-log-loses-expiries}: logs values without their expiry. */
    public static final class LosesExpiries extends LogProvider {
        public LosesExpiries() {
            super("kit-log-loses-expiries", Flaw.LOSES_EXPIRIES);
        }
    }

    /** {@code kit-log-forgets-failed-writes}: leaves a torn batch in the file and never retries it. */
    public static final class ForgetsFailedWrites extends LogProvider {
        public ForgetsFailedWrites() {
            super("kit-log-forgets-failed-writes", Flaw.FORGETS_FAILED_WRITES);
        }
    }

    /** {@code kit-log-ignores-checksums}: loads whatever the file holds. */
    public static final class IgnoresChecksums extends LogProvider {
        public IgnoresChecksums() {
            super("kit-log-ignores-checksums", Flaw.IGNORES_CHECKSUMS);
        }
    }
}
