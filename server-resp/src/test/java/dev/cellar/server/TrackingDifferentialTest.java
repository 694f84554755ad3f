package dev.cellar.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cellar.core.testing.RespClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Client-side caching (CLIENT TRACKING) beside a real redis-server: the same scripted sessions of a
 * tracking client (RESP3), a writer, and a RESP2 subscriber that receives redirected
 * invalidations, compared message for message in the order each client reads them.
 */
@DisplayName("CLIENT TRACKING against redis-server")
class TrackingDifferentialTest {

    private static byte[][] argv(String... words) {
        byte[][] out = new byte[words.length][];
        for (int i = 0; i < words.length; i++) {
            out[i] = words[i].getBytes(StandardCharsets.UTF_8);
        }
        return out;
    }

    /** Sends a command and reads {@code replies} replies (the reply and any pushes after it). */
    private static void step(List<String> seen, String who, RespClient c, int replies, String... command)
            throws Exception {
        c.send(argv(command));
        for (int i = 0; i < replies; i++) {
            seen.add(who + " " + String.join(" ", command) + " -> " + c.read());
        }
    }

    private static void read(List<String> seen, String who, RespClient c) throws Exception {
        seen.add(who + " reads " + c.read());
    }

    private static List<String> session(int port) throws Exception {
        List<String> seen = new ArrayList<>();
        try (RespClient t = new RespClient("127.0.0.1", port);
                RespClient w = new RespClient("127.0.0.1", port);
                RespClient sub = new RespClient("127.0.0.1", port)) {
            step(seen, "t", t, 1, "HELLO", "3");
            seen.set(seen.size() - 1, "t HELLO 3 -> (map)");
            step(seen, "w", w, 1, "FLUSHALL");
            step(seen, "t", t, 1, "CLIENT", "TRACKINGINFO");
            step(seen, "t", t, 1, "CLIENT", "GETREDIR");
            // errors
            step(seen, "t", t, 1, "CLIENT", "TRACKING", "on", "PREFIX", "a");
            step(seen, "t", t, 1, "CLIENT", "TRACKING", "on", "OPTIN", "OPTOUT");
            step(seen, "t", t, 1, "CLIENT", "TRACKING", "on", "BCAST", "OPTIN");
            step(seen, "t", t, 1, "CLIENT", "TRACKING", "on", "REDIRECT", "999999");
            step(seen, "t", t, 1, "CLIENT", "TRACKING", "maybe");
            step(seen, "t", t, 1, "CLIENT", "CACHING", "yes");
            // default mode: a read is remembered, another client's write invalidates it once
            step(seen, "t", t, 1, "CLIENT", "TRACKING", "on");
            step(seen, "w", w, 1, "MSET", "k1", "v", "k2", "a", "k3", "b");
            step(seen, "t", t, 1, "GET", "k1");
            step(seen, "t", t, 1, "MGET", "k2", "k3");
            step(seen, "w", w, 1, "SET", "k1", "v2");
            read(seen, "t", t);
            step(seen, "w", w, 1, "SET", "k1", "v3"); // not read again: no message
            step(seen, "w", w, 1, "DEL", "k2", "k3");
            read(seen, "t", t);
            read(seen, "t", t);
            // its own write: the message comes after the reply
            step(seen, "t", t, 1, "GET", "k1");
            step(seen, "t", t, 2, "SET", "k1", "mine");
            step(seen, "t", t, 1, "CLIENT", "TRACKINGINFO");
            // NOLOOP: no message for its own writes
            step(seen, "t", t, 1, "CLIENT", "TRACKING", "on", "NOLOOP");
            step(seen, "t", t, 1, "GET", "k1");
            step(seen, "t", t, 1, "SET", "k1", "again");
            step(seen, "t", t, 1, "PING");
            step(seen, "t", t, 1, "CLIENT", "TRACKING", "off");
            // OPTIN: only the command after CLIENT CACHING yes is remembered
            step(seen, "t", t, 1, "CLIENT", "TRACKING", "on", "OPTIN");
            step(seen, "t", t, 1, "GET", "o1");
            step(seen, "t", t, 1, "CLIENT", "CACHING", "yes");
            step(seen, "t", t, 1, "GET", "o2");
            step(seen, "t", t, 1, "CLIENT", "CACHING", "no");
            step(seen, "w", w, 1, "MSET", "o1", "1", "o2", "2");
            read(seen, "t", t);
            step(seen, "t", t, 1, "CLIENT", "TRACKING", "off");
            // BCAST with prefixes: keys changed under them, after each batch
            step(seen, "t", t, 1, "CLIENT", "TRACKING", "on", "BCAST", "PREFIX", "user:", "PREFIX", "item:");
            step(seen, "t", t, 1, "CLIENT", "TRACKING", "on", "BCAST", "PREFIX", "user:1");
            step(seen, "t", t, 1, "CLIENT", "TRACKINGINFO");
            step(seen, "w", w, 1, "MSET", "user:2", "a", "user:1", "b", "other", "c", "item:9", "d");
            read(seen, "t", t);
            read(seen, "t", t);
            step(seen, "t", t, 1, "CLIENT", "TRACKING", "off");
            // REDIRECT to a RESP2 subscriber of __redis__:invalidate
            step(seen, "sub", sub, 1, "CLIENT", "ID");
            String subId = seen.get(seen.size() - 1).replaceAll(".*Int\\[value=(\\d+)\\].*", "$1");
            seen.set(seen.size() - 1, "sub CLIENT ID -> (id)");
            step(seen, "sub", sub, 1, "SUBSCRIBE", "__redis__:invalidate");
            t.send(argv("CLIENT", "TRACKING", "on", "REDIRECT", subId));
            seen.add("t CLIENT TRACKING on REDIRECT (id) -> " + t.read());
            t.send(argv("CLIENT", "GETREDIR"));
            seen.add("t CLIENT GETREDIR -> " + (t.read().toString().contains(subId) ? "(id)" : "other"));
            step(seen, "t", t, 1, "GET", "r1");
            step(seen, "w", w, 1, "SET", "r1", "x");
            read(seen, "sub", sub);
            step(seen, "w", w, 1, "FLUSHALL");
            read(seen, "sub", sub);
            step(seen, "t", t, 1, "CLIENT", "TRACKING", "off");
            // FLUSHALL: a null invalidation to every tracking client
            step(seen, "t", t, 1, "CLIENT", "TRACKING", "on");
            step(seen, "w", w, 1, "FLUSHDB");
            read(seen, "t", t);
        }
        return seen;
    }

    @Test
    void sameMessagesInTheSameOrder(@TempDir Path dir) throws Exception {
        try (SideBySide both = SideBySide.start(dir)) {
            List<String> expected = session(both.redisServer.port());
            assertThat(String.join("\n", expected)).contains("invalidate");
            List<String> actual = session(both.cellarServer.port());
            assertThat(actual).containsExactlyElementsOf(expected);
        }
    }
}
