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
 * Reads an AOF's commands one at a time, keeping the byte offset and line count so that a fault
 * can be reported where it is, with what was expected there (the wording of
 * {@code redis-check-aof}). Lines starting with {@code #} between commands are annotations.
 *
 * <p>A fault is either a short read (the file ends inside a command: a crash while appending) or
 * a format error (bytes that cannot be an AOF); only the first may be repaired by truncation.
 */
final class AofReader implements Closeable {
    /** The longest count or length line accepted (Redis reads them with a 128-byte buffer). */
    private static final int MAX_NUMBER_LINE = 128;
    /** The largest bulk string accepted ({@code proto-max-bulk-len}'s ceiling). */
    static final long MAX_BULK = 512L * 1024 * 1024;

    /** One item of the log: a command, or an annotation when {@code argv} is null. */
    record Item(long start, long end, byte[][] argv, String annotation) {}

    /** A fault in the log. */
    static final class FormatException extends Exception {
        final long offset;
        final boolean shortRead;

        FormatException(long offset, boolean shortRead, String message) {
            super(message);
            this.offset = offset;
            this.shortRead = shortRead;
        }

        /** The message as redis-check-aof prints it: {@code 0x<offset, 16 wide>: <message>}. */
        String checkAofLine() {
            return String.format("0x%16x: %s", offset, getMessage());
        }
    }

    private final InputStream in;
    private long pos;
    private long lines;

    AofReader(InputStream in, long startOffset) {
        this.in = in instanceof BufferedInputStream ? in : new BufferedInputStream(in, 1 << 16);
        this.pos = startOffset;
    }

    /** A reader over a file from {@code offset}. */
    static AofReader open(Path file, long offset) throws IOException {
        InputStream in = Files.newInputStream(file);
        in.skipNBytes(offset);
        return new AofReader(in, offset);
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
    Item next() throws IOException, FormatException {
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
                    throw new FormatException(start, true, "Unexpected EOF reading an annotation");
                }
                if (b == '\n') {
                    break;
                }
                sb.append((char) b);
            }
            String text = sb.length() > 0 && sb.charAt(sb.length() - 1) == '\r' ? sb.substring(0, sb.length() - 1)
                    : sb.toString();
            return new Item(start, pos, null, text);
        }
        if (c != '*') {
            throw new FormatException(start, false, "Expected prefix '*', got: '" + show(c) + "'");
        }
        long argc = number(start, "argument count");
        if (argc < 1) {
            throw new FormatException(start, false, "Expected argument count to be > 0, got: " + argc);
        }
        List<byte[]> args = new ArrayList<>((int) Math.min(argc, 1024));
        for (long i = 0; i < argc; i++) {
            long at = pos;
            int p = read();
            if (p < 0) {
                throw new FormatException(at, true, "Unexpected EOF reading RESP (expected '$' for argument "
                        + (i + 1) + " of " + argc + ")");
            }
            if (p != '$') {
                throw new FormatException(at, false, "Expected prefix '$', got: '" + show(p) + "'");
            }
            long len = number(at, "bulk length");
            if (len < 0 || len > MAX_BULK) {
                throw new FormatException(at, false, "Invalid bulk length: " + len + " (expected: 0 to " + MAX_BULK + ")");
            }
            long dataAt = pos;
            byte[] arg = in.readNBytes((int) len);
            pos += arg.length;
            if (arg.length < len) {
                throw new FormatException(dataAt, true, "Expected to read " + (len + 2) + " bytes, got "
                        + arg.length + " bytes");
            }
            int cr = read();
            int lf = cr < 0 ? -1 : read();
            if (lf < 0) {
                throw new FormatException(dataAt, true, "Expected to read " + (len + 2) + " bytes, got "
                        + (len + (cr < 0 ? 0 : 1)) + " bytes");
            }
            if (cr != '\r' || lf != '\n') {
                throw new FormatException(pos - 2, false, String.format("Expected \\r\\n, got: %02x%02x", cr, lf));
            }
            args.add(arg);
        }
        return new Item(start, pos, args.toArray(new byte[0][]), null);
    }

    /** Reads {@code <digits>\r\n} after a prefix byte. */
    private long number(long itemStart, String what) throws IOException, FormatException {
        long at = pos;
        StringBuilder sb = new StringBuilder();
        while (true) {
            int b = read();
            if (b < 0) {
                throw new FormatException(itemStart, true, "Unexpected EOF reading the " + what);
            }
            if (b == '\n') {
                break;
            }
            if (sb.length() >= MAX_NUMBER_LINE) {
                throw new FormatException(at, false, "Expected a " + what + " line of at most " + MAX_NUMBER_LINE
                        + " bytes");
            }
            sb.append((char) b);
        }
        if (sb.length() == 0 || sb.charAt(sb.length() - 1) != '\r') {
            throw new FormatException(pos - 1, false, "Expected \\r\\n after the " + what + ", got: '\\n'");
        }
        String digits = sb.substring(0, sb.length() - 1);
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException e) {
            throw new FormatException(at, false, "Invalid " + what + ": '" + digits + "' (expected: an integer)");
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

    /** Whether an argv is the command {@code name} (ASCII case-insensitive). */
    static boolean is(byte[][] argv, String name) {
        return argv.length > 0 && new String(argv[0], StandardCharsets.ISO_8859_1).equalsIgnoreCase(name);
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
