package dev.cellar.server.resp;

import io.netty.buffer.ByteBuf;
import io.netty.util.ByteProcessor;
import java.util.List;

/**
 * Decodes requests, multibulk ({@code *2\r\n$3\r\nGET\r\n$1\r\nk\r\n}) or inline ({@code GET k\n}),
 * from a growing buffer, as Redis's {@code processMultibulkBuffer} and {@code processInlineBuffer}.
 *
 * <p>An explicit state machine: {@link #next} consumes what it can and returns null when it needs
 * more bytes, keeping its place between calls, so the caller may feed any split of the stream, one
 * byte at a time included. Nothing is allocated from a declared length before the bytes arrive: a
 * client announcing {@code *2147483647} or {@code $536870912} costs nothing until it sends them.
 *
 * <p>A malformed request sets {@link #error()} to Redis's message; the decoder then consumes
 * nothing more, and the connection replies with the error and closes, as Redis does.
 */
public final class RespDecoder {
    /** Redis's {@code PROTO_INLINE_MAX_SIZE}: the longest inline request or header line. */
    public static final int INLINE_MAX_SIZE = 64 * 1024;
    /** Redis 7.0 refuses multibulk counts above {@code INT_MAX}. */
    public static final long MAX_MULTIBULK = Integer.MAX_VALUE;

    /** Where the decoder is in the request. */
    private enum State {
        /** Between requests: the next byte says multibulk or inline. */
        START,
        /** Expecting {@code $<len>\r\n} of the next argument. */
        BULK_HEADER,
        /** Expecting {@code len} bytes and {@code \r\n}. */
        BULK_DATA
    }

    private static final byte[][] EMPTY = new byte[0][];

    private State state = State.START;
    private long remaining;
    private int bulkLength;
    private byte[][] args = EMPTY;
    private int argc;
    private String error;
    private long maxBulkLength;
    private boolean unauthenticated;

    /** A decoder refusing arguments longer than {@code maxBulkLength} ({@code proto-max-bulk-len}). */
    public RespDecoder(long maxBulkLength) {
        this.maxBulkLength = maxBulkLength;
    }

    /** Changes the bulk length limit (CONFIG SET proto-max-bulk-len). */
    public void setMaxBulkLength(long maxBulkLength) {
        this.maxBulkLength = maxBulkLength;
    }

    /**
     * Applies Redis 7's limits for clients that have not authenticated yet: at most 10 arguments
     * and 16384 bytes per argument, so a stranger cannot make the server buffer much.
     */
    public void setUnauthenticated(boolean unauthenticated) {
        this.unauthenticated = unauthenticated;
    }

    /** The protocol error met, or null. */
    public String error() {
        return error;
    }

    /** Whether the decoder is inside a request (some of it consumed, the rest not yet arrived). */
    public boolean midRequest() {
        return state != State.START;
    }

    /**
     * The next complete request in {@code in}, or null when more bytes are needed (or after an
     * error). Consumed bytes are skipped in {@code in}; empty requests are skipped silently.
     */
    public byte[][] next(ByteBuf in) {
        while (error == null) {
            switch (state) {
                case START -> {
                    if (!in.isReadable()) {
                        return null;
                    }
                    if (in.getByte(in.readerIndex()) == '*') {
                        if (!readMultibulkHeader(in)) {
                            return null;
                        }
                    } else {
                        Object r = readInline(in);
                        if (r == null) {
                            return null;
                        }
                        if (r instanceof byte[][] argv && argv.length > 0) {
                            return argv;
                        }
                    }
                }
                case BULK_HEADER -> {
                    if (!readBulkHeader(in)) {
                        return null;
                    }
                }
                case BULK_DATA -> {
                    if (in.readableBytes() < (long) bulkLength + 2) {
                        return null;
                    }
                    byte[] arg = new byte[bulkLength];
                    in.readBytes(arg);
                    in.skipBytes(2); // Redis skips the two bytes after the data without checking them
                    if (argc == args.length) {
                        args = java.util.Arrays.copyOf(args, (int) Math.min(Math.max(8, args.length * 2L),
                                args.length + remaining));
                    }
                    args[argc++] = arg;
                    remaining--;
                    if (remaining == 0) {
                        byte[][] argv = args.length == argc ? args : java.util.Arrays.copyOf(args, argc);
                        args = EMPTY;
                        argc = 0;
                        state = State.START;
                        return argv;
                    }
                    state = State.BULK_HEADER;
                }
                default -> throw new IllegalStateException(state.toString());
            }
        }
        return null;
    }

    private boolean readMultibulkHeader(ByteBuf in) {
        int cr = in.indexOf(in.readerIndex(), in.writerIndex(), (byte) '\r');
        if (cr < 0) {
            if (in.readableBytes() > INLINE_MAX_SIZE) {
                error = "ERR Protocol error: too big mbulk count string";
            }
            return false;
        }
        if (cr + 1 >= in.writerIndex()) {
            return false; // the \n has not arrived
        }
        long count = parseLong(in, in.readerIndex() + 1, cr);
        if (count == Long.MIN_VALUE || count > MAX_MULTIBULK) {
            error = "ERR Protocol error: invalid multibulk length";
            return false;
        }
        if (unauthenticated && count > 10) {
            error = "ERR Protocol error: unauthenticated multibulk length";
            return false;
        }
        in.readerIndex(cr + 2);
        if (count <= 0) {
            return true; // an empty request: skipped
        }
        remaining = count;
        argc = 0;
        args = new byte[(int) Math.min(count, 1024)][];
        state = State.BULK_HEADER;
        return true;
    }

    private boolean readBulkHeader(ByteBuf in) {
        if (!in.isReadable()) {
            return false;
        }
        int cr = in.indexOf(in.readerIndex(), in.writerIndex(), (byte) '\r');
        if (cr < 0) {
            if (in.readableBytes() > INLINE_MAX_SIZE) {
                error = "ERR Protocol error: too big bulk count string";
            }
            return false;
        }
        byte first = in.getByte(in.readerIndex());
        if (first != '$') {
            error = "ERR Protocol error: expected '$', got '" + (char) (first & 0xff) + "'";
            return false;
        }
        if (cr + 1 >= in.writerIndex()) {
            return false;
        }
        long len = parseLong(in, in.readerIndex() + 1, cr);
        if (len == Long.MIN_VALUE || len < 0 || len > maxBulkLength) {
            error = "ERR Protocol error: invalid bulk length";
            return false;
        }
        if (unauthenticated && len > 16384) {
            error = "ERR Protocol error: unauthenticated bulk length";
            return false;
        }
        in.readerIndex(cr + 2);
        bulkLength = (int) len;
        state = State.BULK_DATA;
        return true;
    }

    /** An inline request: the argv (possibly empty), or null when the line is incomplete. */
    private Object readInline(ByteBuf in) {
        int nl = in.forEachByte(in.readerIndex(), in.readableBytes(), ByteProcessor.FIND_LF);
        if (nl < 0) {
            if (in.readableBytes() > INLINE_MAX_SIZE) {
                error = "ERR Protocol error: too big inline request";
            }
            return null;
        }
        int end = nl;
        if (end > in.readerIndex() && in.getByte(end - 1) == '\r') {
            end--;
        }
        byte[] line = new byte[end - in.readerIndex()];
        in.getBytes(in.readerIndex(), line);
        List<byte[]> parts = SplitArgs.split(line, 0, line.length);
        if (parts == null) {
            error = "ERR Protocol error: unbalanced quotes in request";
            return null;
        }
        in.readerIndex(nl + 1);
        return parts.toArray(new byte[0][]);
    }

    /** Parses a decimal integer as Redis's {@code string2ll}; Long.MIN_VALUE when it is not one. */
    private static long parseLong(ByteBuf in, int from, int to) {
        int len = to - from;
        if (len <= 0 || len > 20) {
            return Long.MIN_VALUE;
        }
        int p = from;
        boolean negative = false;
        if (in.getByte(p) == '-') {
            negative = true;
            p++;
            if (p == to) {
                return Long.MIN_VALUE;
            }
        }
        if (in.getByte(p) == '0' && to - p > 1) {
            return Long.MIN_VALUE;
        }
        long v = 0;
        for (; p < to; p++) {
            byte c = in.getByte(p);
            if (c < '0' || c > '9') {
                return Long.MIN_VALUE;
            }
            if (v > (Long.MAX_VALUE - (c - '0')) / 10) {
                return Long.MIN_VALUE;
            }
            v = v * 10 + (c - '0');
        }
        return negative ? -v : v;
    }
}
