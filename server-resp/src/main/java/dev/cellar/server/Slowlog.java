package dev.cellar.server;

import dev.cellar.api.Reply;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;

/** The slow log (Redis's {@code slowlog.c}): commands slower than {@code slowlog-log-slower-than}. */
final class Slowlog {
    private static final int MAX_ARGC = 32;
    private static final int MAX_STRING = 128;

    private record Entry(long id, long time, long micros, List<byte[]> argv, String peer, String name) {}

    private final Deque<Entry> entries = new ArrayDeque<>();
    private long nextId;

    void add(byte[][] argv, long micros, Connection c, int maxLen) {
        List<byte[]> args = new ArrayList<>();
        int n = Math.min(argv.length, MAX_ARGC);
        for (int i = 0; i < n; i++) {
            if (i == MAX_ARGC - 1 && argv.length > MAX_ARGC) {
                args.add(("... (" + (argv.length - MAX_ARGC + 1) + " more arguments)").getBytes());
            } else if (argv[i].length > MAX_STRING) {
                byte[] cut = Arrays.copyOf(argv[i], MAX_STRING);
                args.add((new String(cut, java.nio.charset.StandardCharsets.ISO_8859_1) + "... ("
                        + (argv[i].length - MAX_STRING) + " more bytes)").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            } else {
                args.add(argv[i]);
            }
        }
        entries.addFirst(new Entry(nextId++, System.currentTimeMillis() / 1000, micros, args, c.peer(),
                c.session.name() == null ? "" : c.session.name()));
        while (entries.size() > maxLen) {
            entries.removeLast();
        }
    }

    Reply get(long count) {
        List<Reply> out = new ArrayList<>();
        for (Entry e : entries) {
            if (count >= 0 && out.size() >= count) {
                break;
            }
            List<Reply> args = new ArrayList<>();
            for (byte[] a : e.argv()) {
                args.add(Reply.bulk(a));
            }
            out.add(Reply.array(List.of(Reply.of(e.id()), Reply.of(e.time()), Reply.of(e.micros()),
                    Reply.array(args), Reply.bulk(e.peer()), Reply.bulk(e.name()))));
        }
        return Reply.array(out);
    }

    int size() {
        return entries.size();
    }

    void reset() {
        entries.clear();
    }
}
