package dev.cellar.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cellar.api.Reply;
import dev.cellar.core.testing.RespClient;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CONFIG GET beside a real redis-server started the same way: every parameter Cellar has starts at
 * Redis's built-in default (not the value of the redis.conf Redis ships, which differs for some:
 * hash-max-listpack-entries is 512 built in, 128 in the file), and names are found as Redis finds
 * them (old aliases, patterns over aliases, testing knobs only by exact name).
 */
@DisplayName("CONFIG GET defaults and lookups against redis-server")
class ConfigDefaultsDifferentialTest {
    /** Set by how each side is started (the oracle's options, the fixture's free port and directory). */
    private static final Set<String> STARTED_WITH = Set.of("port", "bind", "dir", "save", "appendonly",
            "daemonize", "enable-debug-command", "logfile", "pidfile", "cellar-persistence");

    private static Map<String, String> configGet(RespClient c, String... patterns) throws Exception {
        String[] argv = new String[patterns.length + 2];
        argv[0] = "CONFIG";
        argv[1] = "GET";
        System.arraycopy(patterns, 0, argv, 2, patterns.length);
        List<Reply> items = ((Reply.Array) c.call(argv)).items();
        Map<String, String> out = new TreeMap<>();
        for (int i = 0; i < items.size(); i += 2) {
            out.put(((Reply.Bulk) items.get(i)).text(), ((Reply.Bulk) items.get(i + 1)).text());
        }
        return out;
    }

    @Test
    @DisplayName("every parameter both servers have starts at Redis's value")
    void defaults(@TempDir Path dir) throws Exception {
        try (SideBySide both = SideBySide.start(dir, "enable-debug-command", "yes")) {
            RespClient r = both.redis;
            RespClient c = both.cellar;
            Map<String, String> expected = configGet(r, "*");
            Map<String, String> actual = configGet(c, "*");
            assertThat(expected).containsKey("hash-max-listpack-entries");
            int compared = 0;
            for (Map.Entry<String, String> e : actual.entrySet()) {
                String name = e.getKey();
                if (name.startsWith("cellar-") || STARTED_WITH.contains(name)) {
                    continue;
                }
                assertThat(expected).as("Redis has a parameter named " + name).containsKey(name);
                assertThat(e.getValue()).as(name).isEqualTo(expected.get(name));
                compared++;
            }
            assertThat(compared).isGreaterThan(60);
        }
    }

    @Test
    @DisplayName("an old name answers under that name; patterns match old names; testing knobs only by name")
    void lookups(@TempDir Path dir) throws Exception {
        try (SideBySide both = SideBySide.start(dir)) {
            RespClient r = both.redis;
            RespClient c = both.cellar;
            for (List<String> query : List.of(List.of("hash-max-ziplist-entries"), List.of("*ziplist*"),
                    List.of("list-max-*"), List.of("rdb-key-save-delay"), List.of("rdb-key*"),
                    List.of("HASH-MAX-ZIPLIST-VALUE", "hash-max-listpack-value"), List.of("nosuchparameter"))) {
                assertThat(configGet(c, query.toArray(new String[0]))).as(query.toString())
                        .isEqualTo(configGet(r, query.toArray(new String[0])));
            }
        }
    }

    /** Not tried with odd values: set by how each side starts, or changing the files or the connection. */
    private static final Set<String> NOT_TRIED = Set.of("port", "bind", "dir", "save", "appendonly", "daemonize",
            "enable-debug-command", "logfile", "pidfile", "requirepass", "dbfilename", "appendfilename",
            "appenddirname",
            // Redis keeps maxmemory as an unsigned 64-bit value (a 20-digit value is taken as 2^64-1),
            // Cellar as a signed one
            "maxmemory");

    @Test
    @DisplayName("CONFIG SET of odd values to every parameter: Redis's replies and Redis's resulting values")
    void oddValues(@TempDir Path dir) throws Exception {
        try (SideBySide both = SideBySide.start(dir)) {
            RespClient r = both.redis;
            RespClient c = both.cellar;
            int tried = 0;
            for (String name : configGet(c, "*").keySet()) {
                if (name.startsWith("cellar-") || NOT_TRIED.contains(name)) {
                    continue;
                }
                String redisWas = configGet(r, name).get(name);
                String cellarWas = configGet(c, name).get(name);
                for (String value : List.of("bogus!", "-5", "99999999999999999999", "1000", "0", "yes", "1mb")) {
                    Reply expected = r.call("CONFIG", "SET", name, value);
                    Reply actual = c.call("CONFIG", "SET", name, value);
                    assertThat(actual).as(name + " " + value).isEqualTo(expected);
                    assertThat(configGet(c, name)).as(name + " " + value + " then").isEqualTo(configGet(r, name));
                    r.call("CONFIG", "SET", name, redisWas);
                    c.call("CONFIG", "SET", name, cellarWas);
                    tried++;
                }
            }
            assertThat(tried).isGreaterThan(300);
        }
    }
}
