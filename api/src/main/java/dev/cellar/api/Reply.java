package dev.cellar.api;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * A typed reply to a command, independent of the wire protocol.
 *
 * <p>The model is RESP3's: maps, sets, doubles and booleans are distinct types. A RESP2 encoder
 * flattens them the way Redis does (a map becomes an array of alternating keys and values, a double
 * a bulk string, and so on), so command code builds one reply and both protocols are served.
 */
public sealed interface Reply {

    /** A status reply such as {@code OK}. */
    record Simple(String value) implements Reply {}

    /** An error reply; {@code message} is the full text, starting with its code ({@code ERR ...}). */
    record Error(String message) implements Reply {
        /** The error code, the first word of the message ({@code ERR}, {@code WRONGTYPE}, ...). */
        public String code() {
            int space = message.indexOf(' ');
            return space < 0 ? message : message.substring(0, space);
        }
    }

    /** An integer reply. */
    record Int(long value) implements Reply {}

    /** A binary-safe string reply; the array is never null and must not be changed after replying. */
    record Bulk(byte[] value) implements Reply {
        /** The bytes as UTF-8 text, for tests and logs. */
        public String text() {
            return new String(value, StandardCharsets.UTF_8);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Bulk b && Arrays.equals(value, b.value);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(value);
        }

        @Override
        public String toString() {
            return "Bulk[" + text() + "]";
        }
    }

    /** An ordered collection of replies. */
    record Array(List<Reply> items) implements Reply {}

    /** A map, as alternating keys and values; RESP2 sends it as a flat array. */
    record MapReply(List<Reply> keysAndValues) implements Reply {}

    /** An unordered set; RESP2 sends it as an array. */
    record SetReply(List<Reply> items) implements Reply {}

    /** A floating point number; RESP2 sends it as a bulk string formatted as Redis does. */
    record Double(double value) implements Reply {}

    /** A boolean; RESP2 sends it as the integer 1 or 0. */
    record Bool(boolean value) implements Reply {}

    /** An out-of-band push message (Pub/Sub, invalidations); RESP2 sends it as an array. */
    record Push(List<Reply> items) implements Reply {}

    /**
     * A null. RESP2 distinguishes the null bulk string ({@code $-1}) from the null array
     * ({@code *-1}); RESP3 has a single null ({@code _}).
     */
    record Null(boolean array) implements Reply {}

    // ------------------------------------------------------------------ shared instances

    /** {@code +OK}. */
    Reply OK = new Simple("OK");
    /** {@code +QUEUED}. */
    Reply QUEUED = new Simple("QUEUED");
    /** The null bulk string. */
    Reply NULL = new Null(false);
    /** The null array. */
    Reply NULL_ARRAY = new Null(true);
    /** The integer 0. */
    Reply ZERO = new Int(0);
    /** The integer 1. */
    Reply ONE = new Int(1);
    /** The empty array. */
    Reply EMPTY_ARRAY = new Array(List.of());

    /** An integer reply. */
    static Reply of(long value) {
        return value == 0 ? ZERO : value == 1 ? ONE : new Int(value);
    }

    /** A bulk reply, or the null bulk string for {@code null}. */
    static Reply bulk(byte[] value) {
        return value == null ? NULL : new Bulk(value);
    }

    /** A bulk reply of UTF-8 text. */
    static Reply bulk(String value) {
        return new Bulk(value.getBytes(StandardCharsets.UTF_8));
    }

    /** An error reply with the full message, code included. */
    static Reply error(String message) {
        return new Error(message);
    }

    /** An array reply. */
    static Reply array(List<Reply> items) {
        return new Array(items);
    }
}
