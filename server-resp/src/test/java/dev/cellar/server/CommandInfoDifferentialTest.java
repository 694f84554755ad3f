package dev.cellar.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cellar.api.Reply;
import dev.cellar.core.testing.RedisServerProcess;
import dev.cellar.core.testing.RespClient;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * COMMAND INFO of every command (and subcommand) Cellar has, against redis-server's: arity, flags
 * (what the server checks before running a command: loading, stale, write, denyoom, noscript, ...),
 * key positions and ACL categories. Flags decide behaviour (ECHO was refused while loading, where
 * Redis answers it), and clients read the rest to route and to check arguments.
 */
@DisplayName("COMMAND INFO against redis-server")
class CommandInfoDifferentialTest {

    /** name -> "arity | flags | first,last,step | categories", subcommands included. */
    private static Map<String, String> table(RespClient c) throws Exception {
        Map<String, String> out = new LinkedHashMap<>();
        for (Reply entry : ((Reply.Array) c.call("COMMAND", "INFO")).items()) {
            add(out, entry);
        }
        return out;
    }

    private static void add(Map<String, String> out, Reply entry) {
        if (!(entry instanceof Reply.Array a)) {
            return;
        }
        List<Reply> f = a.items();
        String name = text(f.get(0));
        out.put(name, ((Reply.Int) f.get(1)).value() + " | " + names(f.get(2)) + " | "
                + ((Reply.Int) f.get(3)).value() + "," + ((Reply.Int) f.get(4)).value() + ","
                + ((Reply.Int) f.get(5)).value() + " | " + names(f.get(6)));
        if (f.size() > 9 && f.get(9) instanceof Reply.Array subs) {
            for (Reply sub : subs.items()) {
                add(out, sub);
            }
        }
    }

    private static String text(Reply r) {
        return r instanceof Reply.Bulk b ? b.text() : ((Reply.Simple) r).value();
    }

    private static TreeSet<String> names(Reply r) {
        TreeSet<String> s = new TreeSet<>();
        for (Reply x : ((Reply.Array) r).items()) {
            s.add(text(x));
        }
        return s;
    }

    @Test
    @DisplayName("every command both servers have is described as redis-server describes it")
    void sameAsRedis() throws Exception {
        Map<String, String> redis;
        Map<String, String> cellar;
        try (RedisServerProcess server = RedisServerProcess.start(); RespClient c = server.client()) {
            redis = table(c);
        }
        try (ServerFixture f = ServerFixture.start(); RespClient c = f.client()) {
            cellar = table(c);
        }
        List<String> mismatches = new ArrayList<>();
        for (Map.Entry<String, String> e : cellar.entrySet()) {
            String theirs = redis.get(e.getKey());
            if (theirs != null && !theirs.equals(e.getValue())) {
                mismatches.add(e.getKey() + "\n   redis:  " + theirs + "\n   cellar: " + e.getValue());
            }
        }
        assertThat(cellar.keySet()).as("commands Cellar has, a good share of Redis's").hasSizeGreaterThan(150);
        assertThat(mismatches).isEmpty();
    }
    @Test
    @DisplayName("ROLE answers as redis-server's primary without replicas")
    void role() throws Exception {
        try (RedisServerProcess server = RedisServerProcess.start(); RespClient r = server.client();
                ServerFixture f = ServerFixture.start(); RespClient c = f.client()) {
            assertThat(c.call("ROLE")).isEqualTo(r.call("ROLE"));
            assertThat(c.call("ROLE", "extra")).isEqualTo(r.call("ROLE", "extra"));
        }
    }
}
