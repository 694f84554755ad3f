package dev.cellar.core.testing;

import dev.cellar.api.Reply;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A minimal RESP2/RESP3 client over a socket that reads replies into {@link Reply}, keeping the
 * distinctions a differential test needs (status vs bulk, null bulk vs null array).
 */
public final class RespClient implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final Charset text;

    /** Connects to host:port; text arguments are sent as UTF-8. */
    public RespClient(String host, int port) throws IOException {
        this(host, port, StandardCharsets.UTF_8);
    }

    /**
     * Connects to host:port; text arguments are sent in {@code text} (ISO-8859-1 maps each char
     * 0-255 to one byte, so a test can write any byte string as text).
     */
    public RespClient(String host, int port, Charset text) throws IOException {
        this.text = text;
        socket = new Socket(host, port);
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(30_000);
        in = new BufferedInputStream(socket.getInputStream());
        out = new BufferedOutputStream(socket.getOutputStream());
    }

    /** Sends a command and reads its reply. */
    public Reply call(String... argv) throws IOException {
        byte[][] bytes = new byte[argv.length][];
        for (int i = 0; i < argv.length; i++) {
            bytes[i] = argv[i].getBytes(text);
        }
        return call(bytes);
    }

    /** Sends a command and reads its reply as plain Java values, bulk strings as byte[] (see {@link #plain(Reply)}). */
    public Object value(String... argv) throws IOException {
        return plain(call(argv));
    }

    /** Sends a command and reads its reply as plain Java values, bulk strings as byte[] (see {@link #plain(Reply)}). */
    public Object value(byte[]... argv) throws IOException {
        return plain(call(argv));
    }

    /**
     * A reply as plain Java values: a status as String, an error as {@link Reply.Error}, an integer
     * as Long, a bulk string as byte[], a null as null, a double as Double, a boolean as Boolean,
     * and arrays, sets, pushes and maps (flattened to alternating keys and values) as List.
     */
    public static Object plain(Reply r) {
        return plain(r, null);
    }

    /** As {@link #plain(Reply)}, but bulk strings decoded as text in {@code charset}. */
    public static Object plain(Reply r, Charset charset) {
        if (r instanceof Reply.Simple s) {
            return s.value();
        }
        if (r instanceof Reply.Bulk b) {
            return charset == null ? b.value() : new String(b.value(), charset);
        }
        if (r instanceof Reply.Int i) {
            return i.value();
        }
        if (r instanceof Reply.Double d) {
            return d.value();
        }
        if (r instanceof Reply.Bool b) {
            return b.value();
        }
        if (r instanceof Reply.Null) {
            return null;
        }
        List<Reply> items = r instanceof Reply.Array a ? a.items() : r instanceof Reply.SetReply s ? s.items()
                : r instanceof Reply.Push p ? p.items() : r instanceof Reply.MapReply m ? m.keysAndValues() : null;
        if (items == null) {
            return r; // Reply.Error
        }
        List<Object> out = new ArrayList<>(items.size());
        for (Reply item : items) {
            out.add(plain(item, charset));
        }
        return out;
    }

    /** Sends a command and reads its reply. */
    public Reply call(byte[]... argv) throws IOException {
        send(argv);
        return read();
    }

    /** Sends a command without reading. */
    public void send(byte[]... argv) throws IOException {
        out.write(('*' + Integer.toString(argv.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        for (byte[] a : argv) {
            out.write(('$' + Integer.toString(a.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(a);
            out.write('\r');
            out.write('\n');
        }
        out.flush();
    }

    /** Writes raw bytes (for protocol tests). */
    public void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Reads one reply. */
    public Reply read() throws IOException {
        int type = in.read();
        if (type < 0) {
            throw new EOFException("connection closed");
        }
        String line = line();
        switch (type) {
            case '+':
                return new Reply.Simple(line);
            case '-':
                return new Reply.Error(line);
            case ':':
                return new Reply.Int(Long.parseLong(line));
            case '$': {
                int len = Integer.parseInt(line);
                if (len < 0) {
                    return Reply.NULL;
                }
                byte[] b = in.readNBytes(len);
                in.read();
                in.read();
                return new Reply.Bulk(b);
            }
            case '*':
            case '~':
            case '>': {
                int n = Integer.parseInt(line);
                if (n < 0) {
                    return Reply.NULL_ARRAY;
                }
                List<Reply> items = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    items.add(read());
                }
                return type == '*' ? new Reply.Array(items) : type == '~' ? new Reply.SetReply(items) : new Reply.Push(items);
            }
            case '%': {
                int n = Integer.parseInt(line);
                List<Reply> items = new ArrayList<>(2 * n);
                for (int i = 0; i < 2 * n; i++) {
                    items.add(read());
                }
                return new Reply.MapReply(items);
            }
            case '_':
                return Reply.NULL;
            case ',':
                return new Reply.Double(switch (line) {
                    case "inf" -> Double.POSITIVE_INFINITY;
                    case "-inf" -> Double.NEGATIVE_INFINITY;
                    default -> Double.parseDouble(line);
                });
            case '#':
                return new Reply.Bool(line.equals("t"));
            case '=': {
                int len = Integer.parseInt(line);
                byte[] b = in.readNBytes(len);
                in.read();
                in.read();
                return new Reply.Bulk(java.util.Arrays.copyOfRange(b, 4, b.length));
            }
            default:
                throw new IOException("unexpected reply type byte '" + (char) type + "'");
        }
    }

    private String line() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != '\r') {
            if (c < 0) {
                throw new EOFException("connection closed inside a line");
            }
            b.write(c);
        }
        in.read();
        return b.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
