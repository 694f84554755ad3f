package dev.cellar.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cellar.api.Reply;
import dev.cellar.core.testing.Differential.Cmd;
import dev.cellar.core.testing.Differential.Compare;
import dev.cellar.core.testing.RedisServerProcess;
import dev.cellar.core.testing.RespClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The wire differential: one seeded random command sequence sent over sockets to Cellar's server
 * and to a real redis-server, every reply compared as the client reads it (RESP2 or RESP3 bytes
 * decoded into {@link Reply}). Unlike core's Differential, this covers the codec, pipelining and
 * the server's own commands too.
 *
 * <p>Generators are per family in {@link #FAMILIES}; a family added to the engine adds its
 * generator there. Blocking commands do not belong here (a blocked client would stall the run).
 */
@DisplayName("Wire differential against redis-server")
class WireDifferentialTest {
    private static final String[] KEYS = {"a", "b", "c", "k:1", "k:2", "n"};

    /** Random command generators, one per family; each is picked with equal chance. */
    static final List<Function<Random, Cmd>> FAMILIES = List.of(
            WireDifferentialTest::strings,
            WireDifferentialTest::keyspace,
            WireDifferentialTest::connection,
            WireDifferentialTest::transactions);

    static String key(Random r) {
        return KEYS[r.nextInt(KEYS.length)];
    }

    static String value(Random r) {
        return switch (r.nextInt(4)) {
            case 0 -> Integer.toString(r.nextInt(1000) - 500);
            case 1 -> "v" + r.nextInt(20);
            case 2 -> "x".repeat(r.nextInt(60));
            default -> "with space " + r.nextInt(5);
        };
    }

    static Cmd strings(Random r) {
        String k = key(r);
        return switch (r.nextInt(9)) {
            case 0, 1 -> Cmd.exact("SET", k, value(r));
            case 2 -> Cmd.exact("SET", k, value(r), r.nextBoolean() ? "NX" : "XX");
            case 3 -> Cmd.exact("SET", k, value(r), "GET");
            case 4 -> Cmd.exact("SETNX", k, value(r));
            case 5 -> Cmd.exact("SETEX", k, Integer.toString(r.nextInt(3) - 1 + 100), value(r));
            case 6 -> Cmd.exact("PSETEX", k, Integer.toString(r.nextInt(3) * 100000), value(r));
            case 7 -> Cmd.exact("SET", k, value(r), "EX", r.nextBoolean() ? "abc" : "1000");
            default -> Cmd.exact("GET", k);
        };
    }

    static Cmd keyspace(Random r) {
        return switch (r.nextInt(6)) {
            case 0 -> Cmd.exact("DEL", key(r), key(r));
            case 1 -> Cmd.exact("EXISTS", key(r), key(r), key(r));
            case 2 -> Cmd.exact("TYPE", key(r));
            // patterns matching at most one key: KEYS order is hash-table order, and inside EXEC the
            // reply is compared exactly
            case 3 -> Cmd.exact("KEYS", new String[] {"k:1*", "*b", "a", "z*", "[ax]"}[r.nextInt(5)]);
            case 4 -> Cmd.exact("DBSIZE");
            default -> Cmd.exact("SELECT", Integer.toString(r.nextInt(2)));
        };
    }

    static Cmd connection(Random r) {
        return switch (r.nextInt(7)) {
            case 0 -> Cmd.exact("PING");
            case 1 -> Cmd.exact("PING", value(r));
            case 2 -> Cmd.exact("ECHO", value(r));
            case 3 -> Cmd.exact("NOSUCHCOMMAND", "x");
            case 4 -> Cmd.exact("GET");
            case 5 -> Cmd.exact("SELECT", r.nextBoolean() ? "99" : "x");
            default -> Cmd.exact("CONFIG", "GET", "maxmemory-policy");
        };
    }

    static Cmd transactions(Random r) {
        return switch (r.nextInt(6)) {
            case 0, 1 -> Cmd.exact("MULTI");
            case 2, 3 -> Cmd.exact("EXEC");
            case 4 -> Cmd.exact("DISCARD");
            default -> Cmd.exact("WATCH", key(r));
        };
    }

    @ParameterizedTest(name = "seed {0}, RESP{1}")
    @CsvSource({"1, 2", "2, 3", "3, 2"})
    void randomSequencesAgree(long seed, int resp) throws Exception {
        List<String> mismatches = new ArrayList<>();
        try (RedisServerProcess redis = RedisServerProcess.start();
                ServerFixture cellar = ServerFixture.start();
                RespClient expectedSide = redis.client();
                RespClient actualSide = cellar.client()) {
            if (resp == 3) {
                expectedSide.call("HELLO", "3");
                actualSide.call("HELLO", "3");
            }
            Random random = new Random(seed);
            for (int i = 0; i < 3000; i++) {
                Cmd cmd = FAMILIES.get(random.nextInt(FAMILIES.size())).apply(random);
                Reply expected = expectedSide.call(cmd.argv());
                Reply actual = actualSide.call(cmd.argv());
                if (!agree(cmd.compare(), expected, actual)) {
                    mismatches.add("#" + i + " " + String.join(" ", cmd.argv()) + "\n   redis:  " + expected
                            + "\n   cellar: " + actual);
                }
            }
            // a final pipelined burst: replies must come back in order on both sides
            for (String k : KEYS) {
                expectedSide.send(bytes("GET", k));
                actualSide.send(bytes("GET", k));
            }
            for (String k : KEYS) {
                Reply expected = expectedSide.read();
                Reply actual = actualSide.read();
                if (!expected.equals(actual)) {
                    mismatches.add("pipelined GET " + k + "\n   redis:  " + expected + "\n   cellar: " + actual);
                }
            }
        }
        assertThat(mismatches).as(String.join("\n", mismatches.subList(0, Math.min(20, mismatches.size()))))
                .isEmpty();
    }

    private static byte[][] bytes(String... argv) {
        byte[][] out = new byte[argv.length][];
        for (int i = 0; i < argv.length; i++) {
            out[i] = argv[i].getBytes(java.nio.charset.StandardCharsets.UTF_8);
        }
        return out;
    }

    static boolean agree(Compare compare, Reply expected, Reply actual) {
        return switch (compare) {
            case NONE -> true;
            case UNORDERED -> sorted(expected).equals(sorted(actual));
            default -> expected.equals(actual);
        };
    }

    private static Object sorted(Reply r) {
        if (r instanceof Reply.Array a) {
            List<String> items = new ArrayList<>();
            a.items().forEach(x -> items.add(x.toString()));
            items.sort(null);
            return items;
        }
        return r;
    }
}
