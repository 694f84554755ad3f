package dev.cellar.persistence.aof;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
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

    /** The largest read buffer: a command that does not fit is read by the careful path. */
    private static final int MAX_BUFFER = 1 << 20;
    /** The most digits the fast path takes in a count or length (larger ones go the careful way). */
    private static final int FAST_DIGITS = 9;

    private final InputStream in;
    /** Bytes read from {@code in}; {@code buf[head, limit)} is not consumed yet. */
    private final byte[] buf;
    private int head;
    private int limit;
    /** The file offset of {@code buf[0]}. */
    private long bufStart;
    private boolean eof;
    private long lines;
    /** The careful path's view of the buffer, refilling it as it goes. */
    private final InputStream src = new BufferedSource();
    /** {@link #nextArgv}'s answer for an annotation line. */
    static final byte[][] ANNOTATION = new byte[0][];

    private long itemStart;
    private long itemEnd;
    private String itemAnnotation;
    /** The last command name the fast path copied out. */
    private byte[] lastName;
    /** Where the fast path found each argument of the command it is reading, and its length. */
    private int[] argAt = new int[16];
    private int[] argLen = new int[16];

    AofReader(InputStream in, long startOffset) {
        this(in, startOffset, 1 << 16);
    }

    /** A reader with a buffer of {@code bufferSize} bytes (tests use small ones to cross its end often). */
    AofReader(InputStream in, long startOffset, int bufferSize) {
        this.in = in;
        this.buf = new byte[bufferSize];
        this.bufStart = startOffset;
    }

    /** A reader over a file from {@code offset}. */
    static AofReader open(Path file, long offset) throws IOException {
        long remaining = Math.max(0, Files.size(file) - offset);
        InputStream in = Files.newInputStream(file);
        try {
            in.skipNBytes(offset);
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
        // sized to the file, so checking many small files does not allocate the largest buffer each time
        int size = (int) Math.max(4096, Math.min(MAX_BUFFER, remaining + 1));
        return new AofReader(in, offset, size);
    }

    /** The offset of the next byte. */
    long position() {
        return bufStart + head;
    }

    /** Newlines read so far. */
    long lines() {
        return lines;
    }

    /**
     * The next item, or null at the end of the file between items.
     *
     * <p>A well-formed command that lies whole in the buffer is sliced out of it directly, one
     * allocation per argument; anything else (an annotation, a command larger than the buffer, the
     * end of the file, a fault) is read byte by byte by {@link #carefulNext}, which reports faults
     * with their offsets. Both give the same items, offsets and line counts.
     */
    Item next() throws IOException, FormatException {
        byte[][] argv = nextArgv();
        return argv == null ? null : new Item(itemStart, itemEnd, argv == ANNOTATION ? null : argv, itemAnnotation);
    }

    /**
     * The next item without an {@link Item} around it (the loader's loop, once per command): the
     * command's arguments, {@link #ANNOTATION} for an annotation line, or null at the end of the
     * file between items; {@link #itemStart}, {@link #itemEnd} and {@link #annotation} describe it.
     */
    byte[][] nextArgv() throws IOException, FormatException {
        while (true) {
            int argc = scanCommand();
            if (argc > 0) {
                return sliceCommand(argc);
            }
            if (argc == 0 && !eof && (head > 0 || limit < buf.length)) {
                fill();
                continue;
            }
            Item item = carefulNext();
            if (item == null) {
                return null;
            }
            itemStart = item.start();
            itemEnd = item.end();
            itemAnnotation = item.annotation();
            return item.argv() == null ? ANNOTATION : item.argv();
        }
    }

    /** The offset of the item {@link #nextArgv} returned last. */
    long itemStart() {
        return itemStart;
    }

    /** The offset after the item {@link #nextArgv} returned last. */
    long itemEnd() {
        return itemEnd;
    }

    /** The text of the annotation {@link #nextArgv} returned last (without {@code #} and line end). */
    String annotation() {
        return itemAnnotation;
    }

    /**
     * Checks that {@code buf[head, limit)} starts with a whole command in the plain form
     * ({@code *<digits>\r\n} then {@code $<digits>\r\n<data>\r\n} per argument) and notes
     * where its arguments are. Returns the argument count, 0 when the buffer ends first, or -1
     * for anything else.
     */
    private int scanCommand() {
        final byte[] b = buf;
        final int end = limit;
        int p = head;
        if (p >= end) {
            return 0;
        }
        if (b[p] != '*') {
            return -1;
        }
        p++;
        long argc = 0;
        int digits = 0;
        while (p < end && b[p] >= '0' && b[p] <= '9') {
            argc = argc * 10 + (b[p++] - '0');
            if (++digits > FAST_DIGITS) {
                return -1;
            }
        }
        if (p + 1 >= end) {
            return 0;
        }
        if (digits == 0 || b[p] != '\r' || b[p + 1] != '\n' || argc < 1) {
            return -1;
        }
        p += 2;
        for (int i = 0; i < argc; i++) {
            if (p >= end) {
                return 0;
            }
            if (b[p] != '$') {
                return -1;
            }
            p++;
            long len = 0;
            digits = 0;
            while (p < end && b[p] >= '0' && b[p] <= '9') {
                len = len * 10 + (b[p++] - '0');
                if (++digits > FAST_DIGITS) {
                    return -1;
                }
            }
            if (p + 1 >= end) {
                return 0;
            }
            if (digits == 0 || b[p] != '\r' || b[p + 1] != '\n' || len > MAX_BULK) {
                return -1;
            }
            p += 2;
            if (end - p < len + 2) {
                return 0;
            }
            if (i == argAt.length) {
                argAt = Arrays.copyOf(argAt, i * 2);
                argLen = Arrays.copyOf(argLen, i * 2);
            }
            argAt[i] = p;
            argLen[i] = (int) len;
            p += (int) len;
            if (b[p] != '\r' || b[p + 1] != '\n') {
                return -1;
            }
            p += 2;
        }
        return (int) argc;
    }

    /**
     * Copies out the command {@link #scanCommand} found and consumes it. The command name is
     * shared with the previous command's when they are spelled the same (logs repeat commands;
     * nothing changes an argv in place).
     */
    private byte[][] sliceCommand(int argc) {
        itemStart = position();
        itemAnnotation = null;
        byte[][] argv = new byte[argc][];
        int nameAt = argAt[0];
        int nameLen = argLen[0];
        byte[] name = lastName;
        if (name != null && name.length == nameLen && Arrays.equals(buf, nameAt, nameAt + nameLen, name, 0, nameLen)) {
            argv[0] = name;
        } else {
            argv[0] = lastName = Arrays.copyOfRange(buf, nameAt, nameAt + nameLen);
        }
        for (int i = 1; i < argc; i++) {
            argv[i] = Arrays.copyOfRange(buf, argAt[i], argAt[i] + argLen[i]);
        }
        head = argAt[argc - 1] + argLen[argc - 1] + 2;
        lines += 1 + 2L * argc; // the count line, then a length line and a data line per argument
        itemEnd = position();
        return argv;
    }

    /** Moves the unread bytes to the front of the buffer and reads more after them. */
    private void fill() throws IOException {
        if (head > 0) {
            System.arraycopy(buf, head, buf, 0, limit - head);
            bufStart += head;
            limit -= head;
            head = 0;
        }
        int want = buf.length - limit;
        int n = in.readNBytes(buf, limit, want);
        limit += n;
        if (n < want) {
            eof = true;
        }
    }

    /** The buffer as a stream for the careful path. */
    private final class BufferedSource extends InputStream {
        private boolean more() throws IOException {
            if (head < limit) {
                return true;
            }
            if (eof) {
                return false;
            }
            fill();
            return head < limit;
        }

        @Override
        public int read() throws IOException {
            return more() ? buf[head++] & 0xff : -1;
        }

        @Override
        public int read(byte[] dst, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            if (!more()) {
                return -1;
            }
            int n = Math.min(len, limit - head);
            System.arraycopy(buf, head, dst, off, n);
            head += n;
            return n;
        }
    }

    /** Reads the next item byte by byte, reporting faults where they are. */
    private Item carefulNext() throws IOException, FormatException {
        long start = position();
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
            return new Item(start, position(), null, text);
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
            long at = position();
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
            long dataAt = position();
            byte[] arg = src.readNBytes((int) len); // grows as it reads: a bogus length does not allocate it all
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
                throw new FormatException(position() - 2, false, String.format("Expected \\r\\n, got: %02x%02x", cr, lf));
            }
            args.add(arg);
        }
        return new Item(start, position(), args.toArray(new byte[0][]), null);
    }

    /** Reads {@code <digits>\r\n} after a prefix byte. */
    private long number(long itemStart, String what) throws IOException, FormatException {
        long at = position();
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
            throw new FormatException(position() - 1, false, "Expected \\r\\n after the " + what + ", got: '\\n'");
        }
        String digits = sb.substring(0, sb.length() - 1);
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException e) {
            throw new FormatException(at, false, "Invalid " + what + ": '" + digits + "' (expected: an integer)");
        }
    }

    private int read() throws IOException {
        int b = src.read();
        if (b == '\n') {
            lines++;
        }
        return b;
    }

    private static String show(int c) {
        return c >= 0x20 && c < 0x7f ? String.valueOf((char) c) : String.format("\\x%02x", c);
    }

    /** Whether an argv is the command {@code name} (ASCII case-insensitive). */
    static boolean is(byte[][] argv, String name) {
        if (argv.length == 0 || argv[0].length != name.length()) {
            return false;
        }
        byte[] a = argv[0];
        for (int i = 0; i < a.length; i++) {
            int x = a[i] & 0xff;
            int y = name.charAt(i);
            if (x != y && Character.toUpperCase((char) x) != Character.toUpperCase((char) y)
                    && Character.toLowerCase((char) x) != Character.toLowerCase((char) y)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
