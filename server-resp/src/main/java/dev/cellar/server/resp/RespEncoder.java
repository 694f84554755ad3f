package dev.cellar.server.resp;

import dev.cellar.api.Reply;
import dev.cellar.core.Numbers;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Writes the engine's typed {@link Reply} as RESP2 or RESP3 (Redis's {@code addReply*} family).
 *
 * <p>RESP2 flattens what it lacks as Redis does: a map becomes an array of alternating keys and
 * values, a set an array, a double a bulk string in {@code %.17g}, a boolean the integer 1 or 0,
 * a push an array, and null is {@code *-1} for a null array and {@code $-1} otherwise. RESP3 has
 * {@code % ~ , # _ >}. Frequent replies and small headers are preallocated byte arrays.
 */
public final class RespEncoder {
    private static final int SHARED_INTEGERS = 10_000;
    private static final int SHARED_HEADERS = 1024;
    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] OK = ascii("+OK\r\n");
    private static final byte[] QUEUED = ascii("+QUEUED\r\n");
    private static final byte[] PONG = ascii("+PONG\r\n");
    private static final byte[] NULL_BULK = ascii("$-1\r\n");
    private static final byte[] NULL_ARRAY = ascii("*-1\r\n");
    private static final byte[] NULL3 = ascii("_\r\n");
    private static final byte[] TRUE3 = ascii("#t\r\n");
    private static final byte[] FALSE3 = ascii("#f\r\n");
    private static final byte[][] INTEGERS = new byte[SHARED_INTEGERS][];
    private static final byte[][] BULK_HEADERS = new byte[SHARED_HEADERS][];
    private static final byte[][] ARRAY_HEADERS = new byte[SHARED_HEADERS][];

    static {
        // Written byte by byte: this runs in the interpreter before the server's start-up load
        // begins, where 12,000 string concatenations took about 30 ms.
        for (int i = 0; i < SHARED_INTEGERS; i++) {
            INTEGERS[i] = line((byte) ':', i);
        }
        for (int i = 0; i < SHARED_HEADERS; i++) {
            BULK_HEADERS[i] = line((byte) '$', i);
            ARRAY_HEADERS[i] = line((byte) '*', i);
        }
    }

    /** {@code type}, the decimal digits of {@code n} (not negative), CRLF. */
    private static byte[] line(byte type, int n) {
        int digits = 1;
        for (int rest = n / 10; rest > 0; rest /= 10) {
            digits++;
        }
        byte[] b = new byte[digits + 3];
        b[0] = type;
        for (int at = digits, rest = n; at >= 1; at--, rest /= 10) {
            b[at] = (byte) ('0' + rest % 10);
        }
        b[digits + 1] = '\r';
        b[digits + 2] = '\n';
        return b;
    }

    /**
     * A reply that writes nothing: a command that answered already (SUBSCRIBE's confirmations) or
     * must not answer (CLIENT REPLY OFF). Inside an EXEC array it leaves the slot empty, as Redis.
     */
    public static final Reply NO_REPLY = new Reply.Simple("__no_reply__");

    private RespEncoder() {}

    /** Writes {@code reply} for a client speaking protocol {@code resp} (2 or 3). */
    public static void encode(Reply reply, int resp, ByteBuf out) {
        if (reply == NO_REPLY) {
            return;
        }
        if (reply == Reply.OK) {
            out.writeBytes(OK);
        } else if (reply instanceof Reply.Bulk b) {
            writeBulk(b.value(), out);
        } else if (reply instanceof Reply.Int i) {
            writeInt(i.value(), out);
        } else if (reply instanceof Reply.Simple s) {
            if (reply == Reply.QUEUED) {
                out.writeBytes(QUEUED);
            } else if (s.value().equals("PONG")) {
                out.writeBytes(PONG);
            } else {
                out.writeByte('+');
                writeLine(s.value(), out);
            }
        } else if (reply instanceof Reply.Error e) {
            out.writeByte('-');
            writeLine(e.message(), out);
        } else if (reply instanceof Reply.Null n) {
            out.writeBytes(resp >= 3 ? NULL3 : n.array() ? NULL_ARRAY : NULL_BULK);
        } else if (reply instanceof Reply.Array a) {
            writeAggregate('*', a.items(), a.items().size(), resp, out);
        } else if (reply instanceof Reply.MapReply m) {
            List<Reply> kv = m.keysAndValues();
            if (resp >= 3) {
                writeAggregate('%', kv, kv.size() / 2, resp, out);
            } else {
                writeAggregate('*', kv, kv.size(), resp, out);
            }
        } else if (reply instanceof Reply.SetReply s) {
            writeAggregate(resp >= 3 ? '~' : '*', s.items(), s.items().size(), resp, out);
        } else if (reply instanceof Reply.Push p) {
            writeAggregate(resp >= 3 ? '>' : '*', p.items(), p.items().size(), resp, out);
        } else if (reply instanceof Reply.Double d) {
            String text = Numbers.formatDouble(d.value());
            if (resp >= 3) {
                out.writeByte(',');
                writeLine(text, out);
            } else {
                writeBulk(text.getBytes(StandardCharsets.US_ASCII), out);
            }
        } else if (reply instanceof Reply.Bool b) {
            if (resp >= 3) {
                out.writeBytes(b.value() ? TRUE3 : FALSE3);
            } else {
                out.writeBytes(INTEGERS[b.value() ? 1 : 0]);
            }
        } else {
            throw new IllegalArgumentException("unknown reply " + reply);
        }
    }

    private static void writeAggregate(char type, List<Reply> items, int header, int resp, ByteBuf out) {
        if (type == '*' && header < SHARED_HEADERS) {
            out.writeBytes(ARRAY_HEADERS[header]);
        } else {
            out.writeByte(type);
            writeDecimal(header, out);
            out.writeBytes(CRLF);
        }
        for (int i = 0, n = items.size(); i < n; i++) {
            encode(items.get(i), resp, out);
        }
    }

    /** Writes a bulk string. */
    public static void writeBulk(byte[] value, ByteBuf out) {
        int n = value.length;
        if (n < SHARED_HEADERS) {
            out.writeBytes(BULK_HEADERS[n]);
        } else {
            out.writeByte('$');
            writeDecimal(n, out);
            out.writeBytes(CRLF);
        }
        out.writeBytes(value);
        out.writeBytes(CRLF);
    }

    private static void writeInt(long v, ByteBuf out) {
        if (v >= 0 && v < SHARED_INTEGERS) {
            out.writeBytes(INTEGERS[(int) v]);
        } else {
            out.writeByte(':');
            writeDecimal(v, out);
            out.writeBytes(CRLF);
        }
    }

    /** Writes a status or error line; CR and LF in it become spaces, as Redis's addReplyErrorLength does. */
    private static void writeLine(String s, ByteBuf out) {
        String line = s.indexOf('\r') >= 0 || s.indexOf('\n') >= 0 ? s.replace('\r', ' ').replace('\n', ' ') : s;
        out.writeCharSequence(line, StandardCharsets.UTF_8);
        out.writeBytes(CRLF);
    }

    private static void writeDecimal(long v, ByteBuf out) {
        if (v == Long.MIN_VALUE) {
            out.writeBytes(ascii(Long.toString(v)));
            return;
        }
        if (v < 0) {
            out.writeByte('-');
            v = -v;
        }
        if (v < 10) {
            out.writeByte((int) ('0' + v));
            return;
        }
        int digits = 0;
        for (long t = v; t > 0; t /= 10) {
            digits++;
        }
        int at = out.writerIndex() + digits;
        out.ensureWritable(digits);
        for (int i = 1; i <= digits; i++) {
            out.setByte(at - i, (int) ('0' + v % 10));
            v /= 10;
        }
        out.writerIndex(at);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
