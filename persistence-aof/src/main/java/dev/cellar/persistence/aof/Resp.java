package dev.cellar.persistence.aof;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A growable byte buffer that encodes commands as RESP arrays of bulk strings, the form every
 * AOF command takes ({@code *N\r\n$len\r\narg\r\n...}).
 */
final class Resp {
    private byte[] data;
    private int size;

    Resp(int capacity) {
        data = new byte[Math.max(16, capacity)];
    }

    /** Appends one command. */
    Resp command(byte[]... argv) {
        header('*', argv.length);
        for (byte[] a : argv) {
            bulk(a);
        }
        return this;
    }

    /** Appends one bulk string. */
    Resp bulk(byte[] a) {
        header('$', a.length);
        raw(a, 0, a.length);
        crlf();
        return this;
    }

    /** Appends {@code <prefix><n>\r\n}. */
    Resp header(char prefix, long n) {
        ensure(24);
        byte[] d = data;
        int at = size;
        d[at++] = (byte) prefix;
        if (n >= 0 && n < 10) {
            d[at++] = (byte) ('0' + n);
        } else {
            // Digits written in place, not through a String: this runs twice per argument logged.
            long v = n;
            if (v < 0) {
                d[at++] = '-';
            }
            int digits = 1;
            for (long t = v / 10; t != 0; t /= 10) {
                digits++;
            }
            int end = at + digits;
            for (int i = end - 1; i >= at; i--) {
                d[i] = (byte) ('0' + Math.abs(v % 10));
                v /= 10;
            }
            at = end;
        }
        d[at++] = '\r';
        d[at++] = '\n';
        size = at;
        return this;
    }

    /** Appends an annotation line ({@code #TS:1700000000}). */
    Resp annotation(String text) {
        ensure(text.length() + 3);
        data[size++] = '#';
        ascii(text);
        crlf();
        return this;
    }

    private void ascii(String s) {
        ensure(s.length());
        for (int i = 0; i < s.length(); i++) {
            data[size++] = (byte) s.charAt(i);
        }
    }

    private void crlf() {
        ensure(2);
        data[size++] = '\r';
        data[size++] = '\n';
    }

    void raw(byte[] src, int off, int len) {
        ensure(len);
        System.arraycopy(src, off, data, size, len);
        size += len;
    }

    private void ensure(int more) {
        if (size + more > data.length) {
            data = Arrays.copyOf(data, Math.max(data.length * 2, size + more));
        }
    }

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    void clear() {
        size = 0;
        if (data.length > 1 << 20) {
            data = new byte[4096];
        }
    }

    /** A view of the content (valid until the next change). */
    ByteBuffer view() {
        return ByteBuffer.wrap(data, 0, size);
    }

    byte[] toByteArray() {
        return Arrays.copyOf(data, size);
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] bytes(long n) {
        return Long.toString(n).getBytes(StandardCharsets.US_ASCII);
    }
}
