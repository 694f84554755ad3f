package dev.cellar.core.commands;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cellar.core.testing.Differential;
import dev.cellar.core.testing.Differential.Cmd;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The list family against the real Redis: thousands of seeded random commands over a few keys (one
 * of them sometimes a string, for WRONGTYPE), every option and error path, compared exactly.
 *
 * <p>The harness drives one client per side, so a blocking command must never really block: each
 * one is emitted right after an RPUSH to its source key (which leaves that key a non-empty list, or
 * a string, which answers WRONGTYPE at once), or inside MULTI, where it answers as on a timeout.
 */
class ListDifferentialTest {
    private static final String[] KEYS = {"l0", "l1", "l2", "l3", "s"};
    private static final int COMMANDS = 6000;
    private static final String[] ELEMENTS = {"a", "b", "c", "1", "2", "-3", "01", "100000", "x y", ""};

    @Test
    void agreesWithRedisUnderDefaultNodeSizes() throws Exception {
        List<String> mismatches = Differential.run(7102, COMMANDS, new Generator());
        assertThat(mismatches).as(Differential.report(mismatches)).isEmpty();
    }

    @Test
    void agreesWithRedisWithTinyNodes() throws Exception {
        List<String> mismatches = Differential.run(2024, COMMANDS, new Generator(), "list-max-listpack-size", "3");
        assertThat(mismatches).as(Differential.report(mismatches)).isEmpty();
    }

    /** Random list commands; a few are emitted as short sequences. */
    static final class Generator implements Function<Random, Cmd> {
        private final Deque<Cmd> pending = new ArrayDeque<>();
        private int emitted;

        @Override
        public Cmd apply(Random r) {
            emitted++;
            if (!pending.isEmpty()) {
                return pending.poll();
            }
            String k = key(r);
            // no sequence may be cut short by the end of the run (a MULTI left open would break the dump)
            int choice = COMMANDS - emitted < 5 ? r.nextInt(27) : r.nextInt(40);
            switch (choice) {
                case 0, 1, 2, 3 -> {
                    return Cmd.exact(withElements(r, r.nextBoolean() ? "RPUSH" : "LPUSH", k, 1 + r.nextInt(5)));
                }
                case 4 -> {
                    return Cmd.exact(withElements(r, r.nextBoolean() ? "RPUSHX" : "LPUSHX", k, 1 + r.nextInt(3)));
                }
                case 5, 6 -> {
                    String cmd = r.nextBoolean() ? "LPOP" : "RPOP";
                    return switch (r.nextInt(4)) {
                        case 0 -> Cmd.exact(cmd, k);
                        case 1 -> Cmd.exact(cmd, k, Integer.toString(r.nextInt(6) - 1));
                        case 2 -> Cmd.exact(cmd, k, r.nextBoolean() ? "x" : "0");
                        default -> Cmd.exact(cmd, k, "1", "2");
                    };
                }
                case 7 -> {
                    return Cmd.exact("LLEN", k);
                }
                case 8, 9, 10 -> {
                    return Cmd.exact("LRANGE", k, index(r), index(r));
                }
                case 11, 12 -> {
                    return Cmd.exact("LINDEX", k, index(r));
                }
                case 13, 14 -> {
                    return Cmd.exact("LSET", k, index(r), element(r));
                }
                case 15, 16 -> {
                    String where = switch (r.nextInt(9)) {
                        case 0 -> "MIDDLE";
                        case 1, 2, 3, 4 -> "BEFORE";
                        default -> "after";
                    };
                    return Cmd.exact("LINSERT", k, where, element(r), element(r));
                }
                case 17, 18 -> {
                    String count = r.nextInt(12) == 0 ? "x" : Integer.toString(r.nextInt(7) - 3);
                    return Cmd.exact("LREM", k, count, element(r));
                }
                case 19 -> {
                    return Cmd.exact("LTRIM", k, index(r), index(r));
                }
                case 20, 21 -> {
                    return Cmd.exact(lpos(r, k));
                }
                case 22, 23 -> {
                    return Cmd.exact("LMOVE", k, key(r), side(r), side(r));
                }
                case 24 -> {
                    return Cmd.exact("RPOPLPUSH", k, key(r));
                }
                case 25, 26 -> {
                    List<String> a = new ArrayList<>(List.of("LMPOP"));
                    mpopArgs(r, a, null);
                    return Cmd.exact(a.toArray(String[]::new));
                }
                case 27, 28, 29, 30 -> {
                    // a blocking command that finds its source non-empty (or a string): answers at once
                    pending.add(Cmd.exact(blocking(r, k)));
                    return Cmd.exact("RPUSH", k, element(r), element(r));
                }
                case 31 -> {
                    pending.add(Cmd.exact(blocking(r, key(r))));
                    if (r.nextBoolean()) {
                        pending.add(Cmd.exact(withElements(r, "RPUSH", key(r), 2)));
                    }
                    pending.add(Cmd.exact("EXEC"));
                    return Cmd.exact("MULTI");
                }
                case 32 -> {
                    return Cmd.exact("SET", r.nextInt(4) == 0 ? k : "s", element(r));
                }
                case 33 -> {
                    return Cmd.exact("DEL", k);
                }
                case 34 -> {
                    return Cmd.exact(blockingError(r, k));
                }
                default -> {
                    return Cmd.exact(withElements(r, "RPUSH", k, 1 + r.nextInt(8)));
                }
            }
        }

        private static String key(Random r) {
            return KEYS[r.nextInt(KEYS.length)];
        }

        private static String element(Random r) {
            if (r.nextInt(30) == 0) {
                return "long-" + "z".repeat(r.nextInt(300));
            }
            return ELEMENTS[r.nextInt(ELEMENTS.length)];
        }

        private static String index(Random r) {
            return r.nextInt(25) == 0 ? "x" : Integer.toString(r.nextInt(15) - 7);
        }

        private static String side(Random r) {
            return switch (r.nextInt(9)) {
                case 0 -> "UP";
                case 1, 2 -> "left";
                case 3, 4 -> "Right";
                case 5, 6 -> "LEFT";
                default -> "RIGHT";
            };
        }

        private static String[] withElements(Random r, String cmd, String key, int n) {
            String[] a = new String[2 + n];
            a[0] = cmd;
            a[1] = key;
            for (int i = 0; i < n; i++) {
                a[2 + i] = element(r);
            }
            return a;
        }

        private static String[] lpos(Random r, String key) {
            List<String> a = new ArrayList<>(List.of("LPOS", key, element(r)));
            int options = r.nextInt(4);
            for (int i = 0; i < options; i++) {
                switch (r.nextInt(10)) {
                    case 0, 1, 2 -> a.addAll(List.of("RANK", Integer.toString(r.nextInt(7) - 3)));
                    case 3, 4 -> a.addAll(List.of("COUNT", Integer.toString(r.nextInt(4) - (r.nextInt(8) == 0 ? 1 : 0))));
                    case 5, 6 -> a.addAll(List.of("MAXLEN", Integer.toString(r.nextInt(6) - (r.nextInt(8) == 0 ? 1 : 0))));
                    case 7 -> a.add("RANK");
                    case 8 -> a.addAll(List.of("rank", "-9223372036854775808"));
                    default -> a.addAll(List.of(r.nextBoolean() ? "FOO" : "COUNT", "x"));
                }
            }
            return a.toArray(String[]::new);
        }

        /** numkeys key... side [COUNT n], the keys including {@code must} when given; sometimes malformed. */
        private static void mpopArgs(Random r, List<String> a, String must) {
            int n = 1 + r.nextInt(3);
            int mustAt = r.nextInt(n);
            List<String> keys = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                keys.add(must != null && i == mustAt ? must : key(r));
            }
            int malformed = must == null && r.nextInt(8) == 0 ? 1 + r.nextInt(4) : 0;
            a.add(malformed == 1 ? (r.nextBoolean() ? "0" : "x") : malformed == 2 ? Integer.toString(n + 1)
                    : Integer.toString(n));
            a.addAll(keys);
            a.add(side(r).equals("UP") && must == null ? "UP" : r.nextBoolean() ? "LEFT" : "right");
            if (malformed == 3) {
                a.addAll(List.of("COUNT", r.nextBoolean() ? "0" : "-2"));
            } else if (malformed == 4) {
                a.addAll(List.of("COUNT", "1", "COUNT", "1"));
            } else if (r.nextBoolean()) {
                a.addAll(List.of("COUNT", Integer.toString(1 + r.nextInt(6))));
            }
        }

        /** A blocking command whose source is {@code key} (first among its keys for BLPOP when it leads). */
        private static String[] blocking(Random r, String key) {
            String timeout = switch (r.nextInt(3)) {
                case 0 -> "0";
                case 1 -> "0.01";
                default -> "1";
            };
            switch (r.nextInt(5)) {
                case 0, 1 -> {
                    List<String> a = new ArrayList<>(List.of(r.nextBoolean() ? "BLPOP" : "BRPOP"));
                    int n = r.nextInt(3);
                    for (int i = 0; i < n; i++) {
                        a.add(key(r));
                    }
                    a.add(1 + r.nextInt(a.size()), key);
                    a.add(timeout);
                    return a.toArray(String[]::new);
                }
                case 2 -> {
                    return new String[] {"BLMOVE", key, key(r), r.nextBoolean() ? "LEFT" : "right",
                            r.nextBoolean() ? "Left" : "RIGHT", timeout};
                }
                case 3 -> {
                    return new String[] {"BRPOPLPUSH", key, key(r), timeout};
                }
                default -> {
                    List<String> a = new ArrayList<>(List.of("BLMPOP", timeout));
                    mpopArgs(r, a, key);
                    return a.toArray(String[]::new);
                }
            }
        }

        /** Blocking commands that fail before they could block. */
        private static String[] blockingError(Random r, String key) {
            return switch (r.nextInt(6)) {
                case 0 -> new String[] {"BLPOP", key, r.nextBoolean() ? "x" : "-1"};
                case 1 -> new String[] {"BLMOVE", key, key(r), "LEFT", "UP", "0"};
                case 2 -> new String[] {"BRPOPLPUSH", key, key(r), "-0.5"};
                case 3 -> new String[] {"BLMPOP", "0", "0", key, "LEFT"};
                case 4 -> new String[] {"BLMPOP", "x", "1", key, "LEFT"};
                default -> new String[] {"BLMPOP", "0", "1", key, "LEFT", "COUNT", "0"};
            };
        }
    }
}
