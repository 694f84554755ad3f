package dev.cellar.persistence.rdb;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;

/**
 * The sink RDB data is written to: an output stream (a file, later a replication socket) or a
 * growable in-memory buffer (a DUMP payload). It buffers, tracks the offset of the next byte and
 * keeps a running CRC64 of everything written, computed in bulk when the buffer is flushed.
 */
public final class RdbOutput {
    private static final int BUFFER = 1 << 16;

    private final OutputStream out;
    private byte[] buf;
    private int pos;
    /** Bytes already handed to the stream. */
    private long flushed;
    private long crc;
    private int crcFrom;

    private RdbOutput(OutputStream out, int capacity) {
        this.out = out;
        this.buf = new byte[capacity];
    }

    /** Writes to a stream through a buffer of its own. */
    public static RdbOutput of(OutputStream out) {
        return new RdbOutput(out, BUFFER);
    }

    /** Writes into memory; read the result with {@link #toByteArray()}. */
    public static RdbOutput buffer() {
        return new RdbOutput(null, 256);
    }

    /** The offset of the next byte. */
    public long offset() {
        return flushed + pos;
    }

    /** The CRC64 of everything written so far. */
    public long crc() {
        if (pos > crcFrom) {
            crc = Crc64.update(crc, buf, crcFrom, pos - crcFrom);
            crcFrom = pos;
        }
        return crc;
    }

    private void ensure(int n) throws IOException {
        if (buf.length - pos >= n) {
            return;
        }
        if (out == null) {
            buf = Arrays.copyOf(buf, (int) Math.min(Integer.MAX_VALUE - 16, Math.max((long) buf.length * 2, (long) pos + n)));
            return;
        }
        flushBuffer();
        if (n > buf.length) {
            buf = new byte[n];
        }
    }

    private void flushBuffer() throws IOException {
        crc();
        out.write(buf, 0, pos);
        flushed += pos;
        pos = 0;
        crcFrom = 0;
    }

    /** One byte. */
    public void writeByte(int b) throws IOException {
        if (pos == buf.length) {
            ensure(1);
        }
        buf[pos++] = (byte) b;
    }

    /** Bytes. */
    public void write(byte[] b, int off, int len) throws IOException {
        if (out != null && len > buf.length) {
            flushBuffer();
            crc = Crc64.update(crc, b, off, len);
            out.write(b, off, len);
            flushed += len;
            return;
        }
        ensure(len);
        System.arraycopy(b, off, buf, pos, len);
        pos += len;
    }

    /** Bytes. */
    public void write(byte[] b) throws IOException {
        write(b, 0, b.length);
    }

    /** Two bytes, little-endian. */
    public void writeShortLE(int v) throws IOException {
        ensure(2);
        buf[pos] = (byte) v;
        buf[pos + 1] = (byte) (v >>> 8);
        pos += 2;
    }

    /** Four bytes, little-endian. */
    public void writeIntLE(int v) throws IOException {
        ensure(4);
        Bytes.putIntLE(buf, pos, v);
        pos += 4;
    }

    /** Four bytes, big-endian. */
    public void writeIntBE(int v) throws IOException {
        ensure(4);
        Bytes.putIntBE(buf, pos, v);
        pos += 4;
    }

    /** Eight bytes, little-endian. */
    public void writeLongLE(long v) throws IOException {
        ensure(8);
        Bytes.putLongLE(buf, pos, v);
        pos += 8;
    }

    /** Eight bytes, big-endian. */
    public void writeLongBE(long v) throws IOException {
        ensure(8);
        Bytes.putLongBE(buf, pos, v);
        pos += 8;
    }

    /** Hands buffered bytes to the stream and flushes it. */
    public void flush() throws IOException {
        if (out != null) {
            flushBuffer();
            out.flush();
        }
    }

    /** The bytes written, for an in-memory output. */
    public byte[] toByteArray() {
        if (out != null) {
            throw new IllegalStateException("not an in-memory output");
        }
        return Arrays.copyOf(buf, pos);
    }

    /** For callers that cannot throw IOException (in-memory outputs never do). */
    static UncheckedIOException unchecked(IOException e) {
        return new UncheckedIOException(e);
    }
}
