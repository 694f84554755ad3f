package dev.cellar.server;

import dev.cellar.api.Reply;
import dev.cellar.core.engine.ByteKey;
import dev.cellar.core.engine.ClientTracking;
import dev.cellar.core.engine.CommandSpec;
import dev.cellar.core.engine.Session;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Server-assisted client-side caching, as Redis's {@code tracking.c}: CLIENT TRACKING ON makes a
 * client's read-only commands remember the keys they read (default mode: a key name, whatever the
 * database, to the ids of the clients that read it); a change to such a key sends each of them one
 * {@code invalidate} message and forgets the key, until they read it again. In BCAST mode a client
 * names key prefixes instead and gets, after each batch of commands, the keys under them that
 * changed. Messages are RESP3 pushes, or, redirected to another client (REDIRECT), pushes there or
 * {@code __redis__:invalidate} Pub/Sub messages to a RESP2 subscriber. A message for the client
 * whose command made the change comes after that command's reply. FLUSHDB and FLUSHALL send every
 * tracking client a null invalidation. Used under the engine lock.
 */
final class Tracking implements ClientTracking {
    private static final Reply INVALIDATE = Reply.bulk("invalidate");
    private static final Reply MESSAGE = Reply.bulk("message");
    private static final Reply CHANNEL = Reply.bulk("__redis__:invalidate");

    private final Server server;
    /** Default mode: key name to the ids of the clients that read it since its last invalidation. */
    private final Map<ByteKey, Set<Long>> table = new HashMap<>();
    private long items;
    /** BCAST mode: prefix (sorted, as Redis's radix tree) to its clients and its changed keys. */
    private final TreeMap<ByteKey, Prefix> prefixes = new TreeMap<>(Tracking::compare);
    private int clients;

    /** A BCAST prefix: the clients following it and the keys changed under it since the last send. */
    private static final class Prefix {
        final Set<Connection> clients = new LinkedHashSet<>();
        /** Changed key to the client that changed it last (null: not a client), in key order. */
        TreeMap<ByteKey, Connection> keys = new TreeMap<>(Tracking::compare);
    }

    Tracking(Server server) {
        this.server = server;
    }

    private static int compare(ByteKey a, ByteKey b) {
        return Arrays.compareUnsigned(a.bytes(), b.bytes());
    }

    /** The number of clients with tracking on (INFO's tracking_clients). */
    int clients() {
        return clients;
    }

    /** INFO's tracking_total_keys, tracking_total_items, tracking_total_prefixes. */
    long[] totals() {
        return new long[] {table.size(), items, prefixes.size()};
    }

    // ------------------------------------------------------------------ CLIENT TRACKING

    /** CLIENT TRACKING ON with checked options (Redis's enableTracking). */
    void enable(Connection c, long redirect, boolean bcast, boolean optin, boolean optout, boolean noloop,
            List<byte[]> prefixList) {
        if (!c.tracking) {
            clients++;
        }
        c.tracking = true;
        c.session.setTracking(true);
        c.trackingBrokenRedirect = false;
        c.trackingBcast = false;
        c.trackingOptin = false;
        c.trackingOptout = false;
        c.trackingNoloop = false;
        c.trackingRedirect = redirect;
        if (bcast) {
            c.trackingBcast = true;
            if (prefixList.isEmpty()) {
                follow(c, new byte[0]);
            }
            for (byte[] p : prefixList) {
                follow(c, p);
            }
        }
        c.trackingOptin = optin;
        c.trackingOptout = optout;
        c.trackingNoloop = noloop;
    }

    private void follow(Connection c, byte[] prefix) {
        ByteKey k = new ByteKey(prefix);
        if (c.trackingPrefixes.add(k)) {
            prefixes.computeIfAbsent(k, x -> new Prefix()).clients.add(c);
        }
    }

    /** CLIENT TRACKING OFF, RESET, a disconnection (Redis's disableTracking). */
    void disable(Connection c) {
        if (c.trackingBcast) {
            for (ByteKey k : c.trackingPrefixes) {
                Prefix p = prefixes.get(k);
                if (p != null) {
                    p.clients.remove(c);
                    if (p.clients.isEmpty()) {
                        prefixes.remove(k);
                    }
                }
            }
            c.trackingPrefixes.clear();
        }
        if (c.tracking) {
            clients--;
            c.tracking = false;
            c.session.setTracking(false);
            c.trackingBrokenRedirect = false;
            c.trackingBcast = false;
            c.trackingOptin = false;
            c.trackingOptout = false;
            c.trackingCaching = false;
            c.trackingNoloop = false;
        }
    }

    /**
     * Redis's checkPrefixCollisionsOrReply: a new prefix may not be a prefix of, nor start with, one
     * the client follows or another given; the error, or null.
     */
    static String prefixCollision(Connection c, List<byte[]> given) {
        for (int i = 0; i < given.size(); i++) {
            byte[] p = given.get(i);
            for (ByteKey existing : c.trackingPrefixes) {
                if (overlap(existing.bytes(), p)) {
                    return "ERR Prefix '" + text(p) + "' overlaps with an existing prefix '" + text(existing.bytes())
                            + "'. Prefixes for a single client must not overlap.";
                }
            }
            for (int j = i + 1; j < given.size(); j++) {
                if (overlap(p, given.get(j))) {
                    return "ERR Prefix '" + text(p) + "' overlaps with another provided prefix '" + text(given.get(j))
                            + "'. Prefixes for a single client must not overlap.";
                }
            }
        }
        return null;
    }

    private static boolean overlap(byte[] a, byte[] b) {
        int n = Math.min(a.length, b.length);
        return Arrays.equals(a, 0, n, b, 0, n);
    }

    private static String text(byte[] b) {
        return new String(b, java.nio.charset.StandardCharsets.UTF_8);
    }

    // ------------------------------------------------------------------ from the engine

    @Override
    public void readCommand(Session session, CommandSpec spec, byte[][] argv) {
        if (!(session instanceof ClientSession cs)) {
            return;
        }
        Connection c = cs.connection();
        if (!c.tracking || c.trackingBcast) {
            return;
        }
        if ((c.trackingOptin && !c.trackingCaching) || (c.trackingOptout && c.trackingCaching)) {
            return;
        }
        for (int i : spec.keyPositions(argv)) {
            if (table.computeIfAbsent(new ByteKey(argv[i]), k -> new LinkedHashSet<>()).add(c.id())) {
                items++;
            }
        }
    }

    @Override
    public void keyModified(byte[] key, Session by) {
        if (clients == 0) {
            return;
        }
        Connection current = by instanceof ClientSession cs ? cs.connection() : null;
        ByteKey k = new ByteKey(key);
        if (!prefixes.isEmpty()) {
            for (Map.Entry<ByteKey, Prefix> e : prefixes.entrySet()) {
                byte[] p = e.getKey().bytes();
                if (p.length <= key.length && Arrays.equals(p, 0, p.length, key, 0, p.length)) {
                    e.getValue().keys.put(k, current);
                }
            }
        }
        Set<Long> ids = table.remove(k);
        if (ids == null) {
            return;
        }
        items -= ids.size();
        Reply keys = Reply.array(List.of(Reply.bulk(key)));
        for (long id : ids) {
            Connection target = server.client(id);
            if (target == null || !target.tracking || target.trackingBcast) {
                continue;
            }
            if (target.trackingNoloop && target == current) {
                continue;
            }
            send(target, keys, target == current);
        }
    }

    @Override
    public void flushed(Session by) {
        if (clients > 0) {
            Connection current = by instanceof ClientSession cs ? cs.connection() : null;
            for (Connection c : new ArrayList<>(server.clients())) {
                if (c.tracking) {
                    send(c, Reply.NULL, c == current);
                }
            }
        }
        table.clear();
        items = 0;
    }

    /** After a batch of commands: each BCAST prefix's changed keys to its clients (Redis's beforeSleep). */
    void broadcast() {
        if (prefixes.isEmpty() || clients == 0) {
            return;
        }
        for (Prefix p : prefixes.values()) {
            if (p.keys.isEmpty()) {
                continue;
            }
            TreeMap<ByteKey, Connection> keys = p.keys;
            p.keys = new TreeMap<>(Tracking::compare);
            for (Connection c : new ArrayList<>(p.clients)) {
                List<Reply> list = new ArrayList<>();
                for (Map.Entry<ByteKey, Connection> e : keys.entrySet()) {
                    if (!(c.trackingNoloop && e.getValue() == c)) {
                        list.add(Reply.bulk(e.getKey().bytes()));
                    }
                }
                if (!list.isEmpty()) {
                    send(c, Reply.array(list), false);
                }
            }
        }
    }

    /**
     * Redis's sendTrackingMessage: to the client, or to its redirect target; a RESP3 push, a Pub/Sub
     * message to a RESP2 target that subscribes, or nothing for RESP2 without either. A message for
     * the client whose command runs now waits for that command's reply ({@code afterReply}).
     */
    private void send(Connection c, Reply keys, boolean afterReply) {
        Connection to = c;
        boolean redirected = false;
        if (c.trackingRedirect != 0) {
            to = server.client(c.trackingRedirect);
            if (to == null) {
                c.trackingBrokenRedirect = true;
                if (c.session.resp() > 2) {
                    deliver(c, new Reply.Push(List.of(Reply.bulk("tracking-redir-broken"), Reply.of(c.trackingRedirect))),
                            afterReply);
                }
                return;
            }
            redirected = true;
            afterReply = afterReply && to == c;
        }
        if (to.session.resp() > 2) {
            deliver(to, new Reply.Push(List.of(INVALIDATE, keys)), afterReply);
        } else if (redirected && to.subscribed()) {
            deliver(to, new Reply.Push(List.of(MESSAGE, CHANNEL, keys)), afterReply);
        }
    }

    private static void deliver(Connection to, Reply message, boolean afterReply) {
        if (afterReply && to.executing) {
            to.afterReply.add(message);
        } else {
            to.push(message);
        }
    }
}
