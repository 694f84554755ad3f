package dev.cellar.persistence.rdb;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.util.Arrays;

/**
 * The source RDB data is read from: a byte array (a DUMP payload, a file mapped or read whole) or
 * an input stream (a file, later a replication socket). It tracks the offset of the next byte and
 * keeps a running CRC64 of every byte consumed, computed in bulk over the buffer rather than byte
 * by byte. Running out of data is a {@link RdbFormatException} naming the offset, never an
 * {@link java.io.EOFException} or an index error.
 *
 * <p>Reading from a stream buffers ahead; {@link #remaining()} hands back what was not consumed
 * (an AOF tail after an RDB preamble).
 */
public final class RdbInput {
    private static final int BUFFER = 1 << 16;
    /** Above this, a string is read in chunks so a corrupt length cannot allocate gigabytes up front. */
    private static final int CHUNK = 1 << 20;

    private final InputStream in;
    private byte[] buf;
    private int pos;
    private int limit;
    /** The offset of {@code buf[0]} (negative for an array source that starts inside its array). */
    private long base;
    private long crc;
    private int crcFrom;

    private RdbInput(InputStream in, byte[] buf, int pos, int limit, long base) {
        this.in = in;
        this.buf = buf;
        this.pos = pos;
        this.limit = limit;
        this.base = base;
        this.crcFrom = pos;
    }

    /** Reads {@code b[off, off+len)} without copying it. */
    public static RdbInput of(byte[] b, int off, int len) {
        return new RdbInput(null, b, off, off + len, -off);
    }

    /** Reads a whole array without copying it. */
    public static RdbInput of(byte[] b) {
        return of(b, 0, b.length);
    }

    /** Reads a stream through a buffer of its own (do not wrap it in a BufferedInputStream). */
    public static RdbInput of(InputStream in) {
        return new RdbInput(in, new byte[BUFFER], 0, 0, 0);
    }

    /** The offset of the next byte to read. */
    public long offset() {
        return base + pos;
    }

    /** The CRC64 of every byte consumed so far. */
    public long crc() {
        if (pos > crcFrom) {
            crc = Crc64.update(crc, buf, crcFrom, pos - crcFrom);
            crcFrom = pos;
        }
        return crc;
    }

    /** Whether at least {@code n} more bytes are available, reading ahead as needed. */
    boolean available(int n) throws IOException {
        return limit - pos >= n || fill(n);
    }

    /** Makes {@code n} bytes available in the buffer or returns false at end of input. */
    private boolean fill(int n) throws IOException {
        if (in == null) {
            return false;
        }
        crc();
        int keep = limit - pos;
        if (n > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(n, buf.length * 2));
        }
        System.arraycopy(buf, pos, buf, 0, keep);
        base += pos;
        pos = 0;
        crcFrom = 0;
        limit = keep;
        while (limit < n) {
            int r = in.read(buf, limit, buf.length - limit);
            if (r < 0) {
                return false;
            }
            limit += r;
        }
        return true;
    }

    private void require(int n, String what) throws IOException {
        if (limit - pos < n && !fill(n)) {
            throw truncated(n, what);
        }
    }

    private RdbFormatException truncated(long n, String what) {
        return new RdbFormatException(offset(), "unexpected end of data: expected " + n + " more byte"
                + (n == 1 ? "" : "s") + " (" + what + "), found " + (limit - pos));
    }

    /** One byte, 0 to 255. */
    public int readUnsignedByte(String what) throws IOException {
        if (pos == limit && !fill(1)) {
            throw truncated(1, what);
        }
        return buf[pos++] & 0xff;
    }

    /** Two bytes, little-endian, unsigned. */
    public int readUnsignedShortLE(String what) throws IOException {
        require(2, what);
        int v = (buf[pos] & 0xff) | (buf[pos + 1] & 0xff) << 8;
        pos += 2;
        return v;
    }

    /** Four bytes, little-endian. */
    public int readIntLE(String what) throws IOException {
        require(4, what);
        int v = Bytes.intLE(buf, pos);
        pos += 4;
        return v;
    }

    /** Four bytes, big-endian. */
    public int readIntBE(String what) throws IOException {
        require(4, what);
        int v = Bytes.intBE(buf, pos);
        pos += 4;
        return v;
    }

    /** Eight bytes, little-endian. */
    public long readLongLE(String what) throws IOException {
        require(8, what);
        long v = Bytes.longLE(buf, pos);
        pos += 8;
        return v;
    }

    /** Eight bytes, big-endian. */
    public long readLongBE(String what) throws IOException {
        require(8, what);
        long v = Bytes.longBE(buf, pos);
        pos += 8;
        return v;
    }

    /** {@code n} bytes into a new array. */
    public byte[] readBytes(long n, String what) throws IOException {
        if (n < 0 || n > Integer.MAX_VALUE - 16) {
            throw new RdbFormatException(offset(), "length " + n + " out of range (" + what + ")");
        }
        int len = (int) n;
        if (limit - pos >= len) {
            byte[] b = Arrays.copyOfRange(buf, pos, pos + len);
            pos += len;
            return b;
        }
        if (in == null) {
            throw truncated(len, what);
        }
        // Large: grow as data actually arrives.
        byte[] out = new byte[Math.min(len, CHUNK)];
        int got = 0;
        while (got < len) {
            if (pos == limit && !fill(1)) {
                throw new RdbFormatException(offset(), "unexpected end of data: expected " + (len - got)
                        + " more bytes (" + what + "), found 0");
            }
            int take = Math.min(limit - pos, len - got);
            if (got + take > out.length) {
                out = Arrays.copyOf(out, (int) Math.min(len, Math.max((long) out.length * 2, got + take)));
            }
            System.arraycopy(buf, pos, out, got, take);
            pos += take;
            got += take;
        }
        return out;
    }

    /** Skips {@code n} bytes. */
    public void skip(long n, String what) throws IOException {
        while (n > 0) {
            if (pos == limit && !fill(1)) {
                throw truncated(n, what);
            }
            int take = (int) Math.min(limit - pos, n);
            pos += take;
            n -= take;
        }
    }

    /** Whether the input is exhausted (reads ahead to find out). */
    public boolean atEnd() throws IOException {
        return pos == limit && !fill(1);
    }

    /** What has not been consumed: the buffered bytes followed by the rest of the stream. */
    public InputStream remaining() {
        InputStream buffered = new ByteArrayInputStream(buf, pos, limit - pos);
        return in == null ? buffered : new SequenceInputStream(buffered, in);
    }
}
