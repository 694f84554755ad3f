package dev.cellar.api;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One numbered database of a {@link Cellar} store, with typed methods for the common operations
 * of each value type. Every typed method is a thin layer over {@link #execute}: it runs the same
 * command a client would send, and an error reply is thrown as {@link CellarException}.
 *
 * <p>Keys and values are {@code String}s encoded as UTF-8; use {@link #execute} for binary data.
 */
public interface Database {

    /** This database's index. */
    int index();

    /** Runs a command in this database; errors are returned, not thrown. */
    Reply execute(byte[]... argv);

    /** Runs a command given as UTF-8 text and throws an error reply as {@link CellarException}. */
    default Reply call(String... argv) {
        byte[][] bytes = new byte[argv.length][];
        for (int i = 0; i < argv.length; i++) {
            bytes[i] = argv[i].getBytes(StandardCharsets.UTF_8);
        }
        Reply reply = execute(bytes);
        if (reply instanceof Reply.Error e) {
            throw new CellarException(e.message());
        }
        return reply;
    }

    // ------------------------------------------------------------------ keys

    /** {@code DEL key [key ...]}: the number of keys removed. */
    default long del(String... keys) {
        return integer(call(prepend("DEL", keys)));
    }

    /** {@code EXISTS key}. */
    default boolean exists(String key) {
        return integer(call("EXISTS", key)) == 1;
    }

    /** {@code PEXPIRE key millis}: whether a timeout was set. */
    default boolean expireMillis(String key, long millis) {
        return integer(call("PEXPIRE", key, Long.toString(millis))) == 1;
    }

    /** {@code PTTL key}: milliseconds to live, -1 without expiry, -2 when the key is absent. */
    default long ttlMillis(String key) {
        return integer(call("PTTL", key));
    }

    /** {@code TYPE key}. */
    default String type(String key) {
        return ((Reply.Simple) call("TYPE", key)).value();
    }

    /** {@code DBSIZE}. */
    default long size() {
        return integer(call("DBSIZE"));
    }

    // ------------------------------------------------------------------ strings

    /** {@code GET key}. */
    default Optional<String> get(String key) {
        return Optional.ofNullable(text(call("GET", key)));
    }

    /** {@code SET key value}. */
    default void set(String key, String value) {
        call("SET", key, value);
    }

    /** {@code SET key value PX millis}. */
    default void set(String key, String value, long ttlMillis) {
        call("SET", key, value, "PX", Long.toString(ttlMillis));
    }

    /** {@code INCRBY key delta}: the new value. */
    default long incrBy(String key, long delta) {
        return integer(call("INCRBY", key, Long.toString(delta)));
    }

    // ------------------------------------------------------------------ lists

    /** {@code LPUSH key value [value ...]}: the new length. */
    default long lpush(String key, String... values) {
        return integer(call(prepend("LPUSH", key, values)));
    }

    /** {@code RPUSH key value [value ...]}: the new length. */
    default long rpush(String key, String... values) {
        return integer(call(prepend("RPUSH", key, values)));
    }

    /** {@code LPOP key}. */
    default Optional<String> lpop(String key) {
        return Optional.ofNullable(text(call("LPOP", key)));
    }

    /** {@code RPOP key}. */
    default Optional<String> rpop(String key) {
        return Optional.ofNullable(text(call("RPOP", key)));
    }

    /** {@code LRANGE key start stop}. */
    default List<String> lrange(String key, long start, long stop) {
        return texts(call("LRANGE", key, Long.toString(start), Long.toString(stop)));
    }

    /** {@code LLEN key}. */
    default long llen(String key) {
        return integer(call("LLEN", key));
    }

    // ------------------------------------------------------------------ hashes

    /** {@code HSET key field value}: whether the field is new. */
    default boolean hset(String key, String field, String value) {
        return integer(call("HSET", key, field, value)) == 1;
    }

    /** {@code HGET key field}. */
    default Optional<String> hget(String key, String field) {
        return Optional.ofNullable(text(call("HGET", key, field)));
    }

    /** {@code HGETALL key}, in the hash's order. */
    default Map<String, String> hgetAll(String key) {
        Reply reply = call("HGETALL", key);
        List<Reply> flat = reply instanceof Reply.MapReply m ? m.keysAndValues() : ((Reply.Array) reply).items();
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i + 1 < flat.size(); i += 2) {
            map.put(text(flat.get(i)), text(flat.get(i + 1)));
        }
        return map;
    }

    /** {@code HDEL key field [field ...]}: the number removed. */
    default long hdel(String key, String... fields) {
        return integer(call(prepend("HDEL", key, fields)));
    }

    // ------------------------------------------------------------------ sets

    /** {@code SADD key member [member ...]}: the number added. */
    default long sadd(String key, String... members) {
        return integer(call(prepend("SADD", key, members)));
    }

    /** {@code SREM key member [member ...]}: the number removed. */
    default long srem(String key, String... members) {
        return integer(call(prepend("SREM", key, members)));
    }

    /** {@code SISMEMBER key member}. */
    default boolean sismember(String key, String member) {
        return integer(call("SISMEMBER", key, member)) == 1;
    }

    /** {@code SMEMBERS key}. */
    default List<String> smembers(String key) {
        return texts(call("SMEMBERS", key));
    }

    // ------------------------------------------------------------------ sorted sets

    /** {@code ZADD key score member}: whether the member is new. */
    default boolean zadd(String key, double score, String member) {
        return integer(call("ZADD", key, formatScore(score), member)) == 1;
    }

    /** {@code ZSCORE key member}. */
    default Optional<java.lang.Double> zscore(String key, String member) {
        Reply reply = call("ZSCORE", key, member);
        if (reply instanceof Reply.Double d) {
            return Optional.of(d.value());
        }
        String text = text(reply);
        return text == null ? Optional.empty() : Optional.of(parseScore(text));
    }

    /** {@code ZRANGE key start stop}. */
    default List<String> zrange(String key, long start, long stop) {
        return texts(call("ZRANGE", key, Long.toString(start), Long.toString(stop)));
    }

    /** {@code ZREM key member [member ...]}: the number removed. */
    default long zrem(String key, String... members) {
        return integer(call(prepend("ZREM", key, members)));
    }

    // ------------------------------------------------------------------ helpers

    private static String[] prepend(String command, String... rest) {
        String[] argv = new String[rest.length + 1];
        argv[0] = command;
        System.arraycopy(rest, 0, argv, 1, rest.length);
        return argv;
    }

    private static String[] prepend(String command, String key, String... rest) {
        String[] argv = new String[rest.length + 2];
        argv[0] = command;
        argv[1] = key;
        System.arraycopy(rest, 0, argv, 2, rest.length);
        return argv;
    }

    private static long integer(Reply reply) {
        if (reply instanceof Reply.Int i) {
            return i.value();
        }
        if (reply instanceof Reply.Bool b) {
            return b.value() ? 1 : 0;
        }
        throw new CellarException("ERR expected an integer reply, got " + reply);
    }

    private static String text(Reply reply) {
        if (reply instanceof Reply.Bulk b) {
            return b.text();
        }
        if (reply instanceof Reply.Null) {
            return null;
        }
        if (reply instanceof Reply.Simple s) {
            return s.value();
        }
        throw new CellarException("ERR expected a string reply, got " + reply);
    }

    private static List<String> texts(Reply reply) {
        List<Reply> items;
        if (reply instanceof Reply.Array a) {
            items = a.items();
        } else if (reply instanceof Reply.SetReply s) {
            items = s.items();
        } else {
            throw new CellarException("ERR expected an array reply, got " + reply);
        }
        List<String> out = new ArrayList<>(items.size());
        for (Reply item : items) {
            out.add(text(item));
        }
        return out;
    }

    private static String formatScore(double score) {
        if (score == java.lang.Double.POSITIVE_INFINITY) {
            return "+inf";
        }
        if (score == java.lang.Double.NEGATIVE_INFINITY) {
            return "-inf";
        }
        return java.lang.Double.toString(score);
    }

    private static double parseScore(String text) {
        return switch (text) {
            case "inf", "+inf" -> java.lang.Double.POSITIVE_INFINITY;
            case "-inf" -> java.lang.Double.NEGATIVE_INFINITY;
            default -> java.lang.Double.parseDouble(text);
        };
    }
}
