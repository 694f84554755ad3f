package dev.cellar.persistence.aof;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The byte-at-a-time reader that {@link AofReader} replaced, kept as the reference its fast path
 * is compared with ({@code AofReaderTest}): same items, offsets, line counts and faults.
 *
 * <p>Reads an AOF's commands one at a time, keeping the byte offset and line count so that a fault
 * can be reported where it is, with what was expected there (the wording of
 * {@code redis-check-aof}). Lines starting with {@code #} between commands are annotations.
 *
 * <p>A fault is either a short read (the file ends inside a command: a crash while appending) or
 * a format error (bytes that cannot be an AOF); only the first may be repaired by truncation.
 */
final class ReferenceAofReader implements Closeable {
    /** The longest count or length line accepted (Redis reads them with a 128-byte buffer). */
    private static final int MAX_NUMBER_LINE = 128;
    private static final long MAX_BULK = AofReader.MAX_BULK;

    private final InputStream in;
    private long pos;
    private long lines;

    ReferenceAofReader(InputStream in, long startOffset) {
        this.in = in instanceof BufferedInputStream ? in : new BufferedInputStream(in, 1 << 16);
        this.pos = startOffset;
    }

    /** A reader over a file from {@code offset}. */
    static ReferenceAofReader open(Path file, long offset) throws IOException {
        InputStream in = Files.newInputStream(file);
        in.skipNBytes(offset);
        return new ReferenceAofReader(in, offset);
    }

    /** The offset of the next byte. */
    long position() {
        return pos;
    }

    /** Newlines read so far. */
    long lines() {
        return lines;
    }

    /** The next item, or null at the end of the file between items. */
    AofReader.Item next() throws IOException, AofReader.FormatException {
        long start = pos;
        int c = read();
        if (c < 0) {
            return null;
        }
        if (c == '#') {
            StringBuilder sb = new StringBuilder();
            while (true) {
                int b = read();
                if (b < 0) {
                    throw new AofReader.FormatException(start, true, "Unexpected EOF reading an annotation");
                }
                if (b == '\n') {
                    break;
                }
                sb.append((char) b);
            }
            String text = sb.length() > 0 && sb.charAt(sb.length() - 1) == '\r' ? sb.substring(0, sb.length() - 1)
                    : sb.toString();
            return new AofReader.Item(start, pos, null, text);
        }
        if (c != '*') {
            throw new AofReader.FormatException(start, false, "Expected prefix '*', got: '" + show(c) + "'");
        }
        long argc = number(start, "argument count");
        if (argc < 1) {
            throw new AofReader.FormatException(start, false, "Expected argument count to be > 0, got: " + argc);
        }
        List<byte[]> args = new ArrayList<>((int) Math.min(argc, 1024));
        for (long i = 0; i < argc; i++) {
            long at = pos;
            int p = read();
            if (p < 0) {
                throw new AofReader.FormatException(at, true, "Unexpected EOF reading RESP (expected '$' for argument "
                        + (i + 1) + " of " + argc + ")");
            }
            if (p != '$') {
                throw new AofReader.FormatException(at, false, "Expected prefix '$', got: '" + show(p) + "'");
            }
            long len = number(at, "bulk length");
            if (len < 0 || len > MAX_BULK) {
                throw new AofReader.FormatException(at, false, "Invalid bulk length: " + len + " (expected: 0 to " + MAX_BULK + ")");
            }
            long dataAt = pos;
            byte[] arg = in.readNBytes((int) len);
            pos += arg.length;
            if (arg.length < len) {
                throw new AofReader.FormatException(dataAt, true, "Expected to read " + (len + 2) + " bytes, got "
                        + arg.length + " bytes");
            }
            int cr = read();
            int lf = cr < 0 ? -1 : read();
            if (lf < 0) {
                throw new AofReader.FormatException(dataAt, true, "Expected to read " + (len + 2) + " bytes, got "
                        + (len + (cr < 0 ? 0 : 1)) + " bytes");
            }
            if (cr != '\r' || lf != '\n') {
                throw new AofReader.FormatException(pos - 2, false, String.format("Expected \\r\\n, got: %02x%02x", cr, lf));
            }
            args.add(arg);
        }
        return new AofReader.Item(start, pos, args.toArray(new byte[0][]), null);
    }

    /** Reads {@code <digits>\r\n} after a prefix byte. */
    private long number(long itemStart, String what) throws IOException, AofReader.FormatException {
        long at = pos;
        StringBuilder sb = new StringBuilder();
        while (true) {
            int b = read();
            if (b < 0) {
                throw new AofReader.FormatException(itemStart, true, "Unexpected EOF reading the " + what);
            }
            if (b == '\n') {
                break;
            }
            if (sb.length() >= MAX_NUMBER_LINE) {
                throw new AofReader.FormatException(at, false, "Expected a " + what + " line of at most " + MAX_NUMBER_LINE
                        + " bytes");
            }
            sb.append((char) b);
        }
        if (sb.length() == 0 || sb.charAt(sb.length() - 1) != '\r') {
            throw new AofReader.FormatException(pos - 1, false, "Expected \\r\\n after the " + what + ", got: '\\n'");
        }
        String digits = sb.substring(0, sb.length() - 1);
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException e) {
            throw new AofReader.FormatException(at, false, "Invalid " + what + ": '" + digits + "' (expected: an integer)");
        }
    }

    private int read() throws IOException {
        int b = in.read();
        if (b >= 0) {
            pos++;
            if (b == '\n') {
                lines++;
            }
        }
        return b;
    }

    private static String show(int c) {
        return c >= 0x20 && c < 0x7f ? String.valueOf((char) c) : String.format("\\x%02x", c);
    }


    @Override
    public void close() throws IOException {
        in.close();
    }
}
