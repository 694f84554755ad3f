package dev.cellar.server;

import dev.cellar.api.Reply;
import dev.cellar.core.Glob;
import dev.cellar.core.engine.ByteKey;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Channels and patterns with their subscribers (Redis's {@code pubsub.c}), and keyspace
 * notifications turned into messages. Used only under the engine lock.
 */
final class PubSub {
    private static final Reply MESSAGE = Reply.bulk("message");
    private static final Reply PMESSAGE = Reply.bulk("pmessage");
    private static final Reply SMESSAGE = Reply.bulk("smessage");

    private final Server server;
    final Map<ByteKey, Set<Connection>> channels = new LinkedHashMap<>();
    final Map<ByteKey, Set<Connection>> patterns = new LinkedHashMap<>();
    /** Shard channels (SSUBSCRIBE, SPUBLISH): without a cluster, one shard holding them all. */
    final Map<ByteKey, Set<Connection>> shardChannels = new LinkedHashMap<>();
    private volatile int flags;

    PubSub(Server server) {
        this.server = server;
    }

    void setFlags(int flags) {
        this.flags = flags;
    }

    /** Subscribes a client to a channel; returns the confirmation message. */
    /** Adds a subscription to the client's own set and to the subscribers of {@code k}. */
    private static void add(Map<ByteKey, Set<Connection>> all, Set<ByteKey> own, ByteKey k, Connection c) {
        if (own.add(k)) {
            all.computeIfAbsent(k, x -> new LinkedHashSet<>()).add(c);
        }
    }

    /** Removes a subscription from both sides, dropping a channel or pattern nobody follows. */
    private static void remove(Map<ByteKey, Set<Connection>> all, Set<ByteKey> own, ByteKey k, Connection c) {
        if (own.remove(k)) {
            Set<Connection> subs = all.get(k);
            if (subs != null) {
                subs.remove(c);
                if (subs.isEmpty()) {
                    all.remove(k);
                }
            }
        }
    }

    Reply subscribe(Connection c, byte[] channel) {
        add(channels, c.channels, new ByteKey(channel), c);
        return confirmation("subscribe", Reply.bulk(channel), c);
    }

    Reply unsubscribe(Connection c, ByteKey k) {
        remove(channels, c.channels, k, c);
        return confirmation("unsubscribe", Reply.bulk(k.bytes()), c);
    }

    Reply psubscribe(Connection c, byte[] pattern) {
        add(patterns, c.patterns, new ByteKey(pattern), c);
        return confirmation("psubscribe", Reply.bulk(pattern), c);
    }

    Reply punsubscribe(Connection c, ByteKey k) {
        remove(patterns, c.patterns, k, c);
        return confirmation("punsubscribe", Reply.bulk(k.bytes()), c);
    }

    Reply ssubscribe(Connection c, byte[] channel) {
        add(shardChannels, c.shardChannels, new ByteKey(channel), c);
        return shardConfirmation("ssubscribe", Reply.bulk(channel), c);
    }

    Reply sunsubscribe(Connection c, ByteKey k) {
        remove(shardChannels, c.shardChannels, k, c);
        return shardConfirmation("sunsubscribe", Reply.bulk(k.bytes()), c);
    }

    /** A shard (un)subscription's confirmation: its count is of the client's shard channels alone. */
    static Reply shardConfirmation(String kind, Reply name, Connection c) {
        return new Reply.Push(List.of(Reply.bulk(kind), name, Reply.of(c.shardChannels.size())));
    }

    /** SPUBLISH: to the shard channel's subscribers only (no patterns); returns how many got it. */
    long spublish(byte[] channel, byte[] message) {
        Set<Connection> subs = shardChannels.get(new ByteKey(channel));
        if (subs == null) {
            return 0;
        }
        Reply m = new Reply.Push(List.of(SMESSAGE, Reply.bulk(channel), Reply.bulk(message)));
        for (Connection c : subs) {
            c.push(m);
        }
        return subs.size();
    }

    /** Unsubscribes from everything; sends the confirmations when {@code notify}. */
    void unsubscribeAll(Connection c, boolean notify) {
        for (ByteKey k : new ArrayList<>(c.shardChannels)) {
            Reply r = sunsubscribe(c, k);
            if (notify) {
                c.push(r);
            }
        }
        for (ByteKey k : new ArrayList<>(c.channels)) {
            Reply r = unsubscribe(c, k);
            if (notify) {
                c.push(r);
            }
        }
        for (ByteKey k : new ArrayList<>(c.patterns)) {
            Reply r = punsubscribe(c, k);
            if (notify) {
                c.push(r);
            }
        }
    }

    private static Reply confirmation(String kind, Reply name, Connection c) {
        return new Reply.Push(List.of(Reply.bulk(kind), name, Reply.of(c.channels.size() + c.patterns.size())));
    }

    /** Publishes a message; returns the number of clients that received it. */
    long publish(byte[] channel, byte[] message) {
        long receivers = 0;
        Set<Connection> subs = channels.get(new ByteKey(channel));
        Reply ch = Reply.bulk(channel);
        Reply msg = Reply.bulk(message);
        if (subs != null) {
            Reply m = new Reply.Push(List.of(MESSAGE, ch, msg));
            for (Connection c : subs) {
                c.push(m);
                receivers++;
            }
        }
        if (!patterns.isEmpty()) {
            for (Map.Entry<ByteKey, Set<Connection>> e : patterns.entrySet()) {
                if (Glob.matches(e.getKey().bytes(), channel, false)) {
                    Reply m = new Reply.Push(List.of(PMESSAGE, Reply.bulk(e.getKey().bytes()), ch, msg));
                    for (Connection c : e.getValue()) {
                        c.push(m);
                        receivers++;
                    }
                }
            }
        }
        return receivers;
    }

    /** A keyspace event from the engine, published as Redis's {@code notifyKeyspaceEvent} does. */
    void keyspaceEvent(char type, String event, int db, byte[] key) {
        int f = flags;
        if (f == 0 || (KeyspaceEvents.ofType(type) & f) == 0) {
            return;
        }
        if (channels.isEmpty() && patterns.isEmpty()) {
            return;
        }
        byte[] eventBytes = event.getBytes(StandardCharsets.US_ASCII);
        if ((f & KeyspaceEvents.KEYSPACE) != 0) {
            byte[] prefix = ("__keyspace@" + db + "__:").getBytes(StandardCharsets.US_ASCII);
            publish(concat(prefix, key), eventBytes);
        }
        if ((f & KeyspaceEvents.KEYEVENT) != 0) {
            byte[] prefix = ("__keyevent@" + db + "__:").getBytes(StandardCharsets.US_ASCII);
            publish(concat(prefix, eventBytes), key);
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
