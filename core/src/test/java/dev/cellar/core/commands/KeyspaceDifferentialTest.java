package dev.cellar.core.commands;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cellar.api.Reply;
import dev.cellar.core.testing.Differential;
import dev.cellar.core.testing.Differential.Cmd;
import dev.cellar.core.testing.Differential.Compare;
import dev.cellar.core.testing.ManualClock;
import dev.cellar.core.testing.RedisServerProcess;
import dev.cellar.core.testing.Resp2;
import dev.cellar.core.testing.RespClient;
import dev.cellar.core.testing.TestEngine;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The keyspace and expiry commands against the real Redis, over string values.
 *
 * <p>Deliberate looseness: TTL and PTTL are compared within a tolerance (the two servers' clocks
 * differ by the round trip); RANDOMKEY and SCAN steps by shape (hash-table order differs), while
 * {@code SCAN 0 COUNT 1000} on the small key set, which completes in one call, is compared exactly
 * when filtered down to one key, and full scans are compared as sets in {@link #fullScansAgree}.
 * OBJECT REFCOUNT is not generated after a policy change (see ObjectCommands). MEMORY USAGE is
 * compared by shape: Cellar reports JVM bytes.
 */
class KeyspaceDifferentialTest {
    private static final String[] EXPIRE_FLAGS = {"NX", "XX", "GT", "LT", "nx", "gt"};

    private static String key(Random r) {
        return "k" + r.nextInt(8);
    }

    private static String value(Random r) {
        return switch (r.nextInt(5)) {
            case 0 -> Integer.toString(r.nextInt(20000) - 100);
            case 1 -> "x".repeat(40 + r.nextInt(10));
            case 2 -> "12345678901234567890";
            default -> "v" + r.nextInt(100);
        };
    }

    /**
     * A generator that follows every relative expiry (EXPIRE, PEXPIRE, SET EX) with
     * {@code PEXPIREAT key <absolute> XX}: the two servers read their clocks a fraction of a
     * millisecond apart, so a relative expiry can land one millisecond apart; the follow-up makes the
     * data sets (compared exactly at the end) agree again, while the relative command's own reply is
     * still compared.
     */
    private static java.util.function.Function<Random, Cmd> generator() {
        java.util.ArrayDeque<Cmd> pending = new java.util.ArrayDeque<>();
        return r -> {
            if (!pending.isEmpty()) {
                return pending.poll();
            }
            Cmd cmd = generate(r);
            String name = cmd.argv()[0];
            boolean relative = name.equals("EXPIRE") || name.equals("PEXPIRE")
                    || name.equals("SET") && cmd.argv().length > 3;
            if (relative) {
                long when = System.currentTimeMillis() + 20_000 + r.nextInt(2_000_000);
                pending.add(Cmd.exact("PEXPIREAT", cmd.argv()[1], Long.toString(when), "XX"));
            }
            return cmd;
        };
    }

    private static Cmd generate(Random r) {
        String k = key(r);
        String k2 = key(r);
        int roll = r.nextInt(100);
        if (roll < 18) {
            return switch (r.nextInt(4)) {
                case 0 -> Cmd.exact("SET", k, value(r));
                case 1 -> Cmd.exact("SET", k, value(r), "PX", Integer.toString(20_000 + r.nextInt(300_000)));
                case 2 -> Cmd.exact("SET", k, value(r), "EX", Integer.toString(50 + r.nextInt(100)));
                default -> Cmd.exact("GET", k);
            };
        }
        if (roll < 40) {
            String[] names = {"EXPIRE", "PEXPIRE", "EXPIREAT", "PEXPIREAT"};
            String name = names[r.nextInt(4)];
            long amount = switch (r.nextInt(5)) {
                case 0 -> -1 - r.nextInt(5);
                case 1 -> 0;
                default -> 10 + r.nextInt(1000);
            };
            long now = System.currentTimeMillis();
            String time = switch (name) {
                case "EXPIRE" -> Long.toString(amount);
                case "PEXPIRE" -> Long.toString(amount <= 0 ? amount : amount * 1000 + r.nextInt(1000));
                case "EXPIREAT" -> Long.toString(amount <= 0 ? amount + 1 : now / 1000 + amount);
                default -> Long.toString(amount <= 0 ? amount + 1 : now + amount * 1000);
            };
            List<String> argv = new ArrayList<>(List.of(name, k, time));
            int flags = r.nextInt(10);
            if (flags < 4) {
                argv.add(EXPIRE_FLAGS[r.nextInt(EXPIRE_FLAGS.length)]);
            } else if (flags == 4) {
                argv.add(EXPIRE_FLAGS[r.nextInt(EXPIRE_FLAGS.length)]);
                argv.add(EXPIRE_FLAGS[r.nextInt(EXPIRE_FLAGS.length)]);
            } else if (flags == 5) {
                argv.add("bogus");
            } else if (flags == 6 && r.nextBoolean()) {
                argv.set(2, "notanumber");
            }
            return Cmd.exact(argv.toArray(String[]::new));
        }
        if (roll < 50) {
            return switch (r.nextInt(5)) {
                case 0 -> Cmd.approx(1, "TTL", k);
                case 1 -> Cmd.approx(150, "PTTL", k);
                case 2 -> Cmd.approx(1, "EXPIRETIME", k);
                case 3 -> Cmd.exact("PERSIST", k);
                default -> Cmd.approx(150, "PEXPIRETIME", k);
            };
        }
        if (roll < 62) {
            return switch (r.nextInt(6)) {
                case 0 -> Cmd.exact("RENAME", k, k2);
                case 1 -> Cmd.exact("RENAMENX", k, k2);
                case 2 -> Cmd.exact("COPY", k, k2);
                case 3 -> Cmd.exact("COPY", k, k2, "REPLACE");
                case 4 -> Cmd.exact("COPY", k, k2, "DB", Integer.toString(r.nextInt(3)), r.nextBoolean() ? "REPLACE" : "replace");
                default -> Cmd.exact("MOVE", k, Integer.toString(r.nextInt(4) - (r.nextInt(10) == 0 ? 5 : 0)));
            };
        }
        if (roll < 70) {
            return switch (r.nextInt(4)) {
                case 0 -> Cmd.exact("SELECT", Integer.toString(r.nextInt(3)));
                case 1 -> Cmd.exact("SWAPDB", Integer.toString(r.nextInt(3)), Integer.toString(r.nextInt(3)));
                case 2 -> Cmd.exact("DBSIZE");
                default -> Cmd.unordered("KEYS", r.nextBoolean() ? "*" : "k[0-3]*");
            };
        }
        if (roll < 82) {
            return switch (r.nextInt(5)) {
                case 0 -> Cmd.exact("DEL", k, k2);
                case 1 -> Cmd.exact("UNLINK", k, k2, key(r));
                case 2 -> Cmd.exact("EXISTS", k, k2, k);
                case 3 -> Cmd.exact("TOUCH", k, k2);
                default -> Cmd.exact("TYPE", k);
            };
        }
        if (roll < 92) {
            return switch (r.nextInt(6)) {
                case 0 -> Cmd.of(Compare.SHAPE, "RANDOMKEY");
                case 1 -> Cmd.exact("SCAN", "0", "COUNT", "1000", "MATCH", k);
                case 2 -> Cmd.exact("SCAN", "0", "COUNT", "1000", "TYPE", r.nextBoolean() ? "list" : "STRING", "MATCH", k);
                case 3 -> Cmd.of(Compare.SHAPE, "SCAN", "0", "COUNT", Integer.toString(1 + r.nextInt(3)));
                case 4 -> Cmd.exact("SCAN", r.nextBoolean() ? "x" : "0", "COUNT", r.nextBoolean() ? "0" : "y");
                default -> Cmd.of(Compare.SHAPE, "MEMORY", "USAGE", k);
            };
        }
        if (roll < 99) {
            return switch (r.nextInt(3)) {
                case 0 -> Cmd.exact("OBJECT", "ENCODING", k);
                case 1 -> Cmd.exact("OBJECT", "REFCOUNT", k);
                default -> Cmd.exact("OBJECT", "FREQ", k);
            };
        }
        return r.nextInt(4) == 0 ? Cmd.exact("FLUSHALL") : Cmd.exact("FLUSHDB", r.nextBoolean() ? "ASYNC" : "SYNC");
    }

    @Test
    void keyspaceCommandsAgreeWithRedis() throws Exception {
        List<String> mismatches = Differential.run(7106, 5000, generator());
        assertThat(mismatches).as(Differential.report(mismatches)).isEmpty();
    }

    @Test
    void keyspaceCommandsAgreeWithRedisOnAnotherSeed() throws Exception {
        List<String> mismatches = Differential.run(20240607, 3000, generator());
        assertThat(mismatches).as(Differential.report(mismatches)).isEmpty();
    }

    /** A full SCAN with small COUNTs returns the same set of keys as Redis's, and as KEYS. */
    @Test
    void fullScansAgree() throws Exception {
        try (RedisServerProcess redis = RedisServerProcess.start();
                RespClient client = redis.client();
                TestEngine cellar = TestEngine.create(new ManualClock(System.currentTimeMillis()))) {
            Random r = new Random(11);
            for (int round = 0; round < 5; round++) {
                for (int n = 0; n < 300; n++) {
                    String[] argv = r.nextInt(4) == 0
                            ? new String[] {"DEL", "key:" + r.nextInt(1000)}
                            : new String[] {"SET", "key:" + r.nextInt(1000), "v"};
                    client.call(argv);
                    cellar.exec(argv);
                }
                for (String match : new String[] {"*", "key:1*"}) {
                    String count = Integer.toString(1 + r.nextInt(20));
                    TreeSet<String> fromRedis = scanAll(argv -> {
                        try {
                            return client.call(argv);
                        } catch (java.io.IOException e) {
                            throw new IllegalStateException(e);
                        }
                    }, match, count);
                    TreeSet<String> fromCellar = scanAll(argv -> Resp2.of(cellar.exec(argv)), match, count);
                    assertThat(fromCellar).isEqualTo(fromRedis);
                }
            }
        }
    }

    private static TreeSet<String> scanAll(java.util.function.Function<String[], Reply> exec, String match,
            String count) {
        TreeSet<String> keys = new TreeSet<>();
        String cursor = "0";
        do {
            List<Reply> r = ((Reply.Array) exec.apply(new String[] {"SCAN", cursor, "MATCH", match, "COUNT", count}))
                    .items();
            cursor = ((Reply.Bulk) r.get(0)).text();
            for (Reply k : ((Reply.Array) r.get(1)).items()) {
                keys.add(((Reply.Bulk) k).text());
            }
        } while (!cursor.equals("0"));
        return keys;
    }
}
