package dev.cellar.core.commands;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cellar.core.testing.Differential;
import dev.cellar.core.testing.Differential.Cmd;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * PFADD, PFCOUNT, PFMERGE, PFDEBUG and PFSELFTEST against the real Redis, comparing replies and, through GET, the HLL
 * strings byte for byte: the sparse opcodes as each add splits and merges them, the promotion to
 * dense (past hll-sparse-max-bytes, or a register over 32), the cached count in the header.
 */
class HyperLogLogDifferentialTest {
    private static final String[] KEYS = {"h1", "h2", "h3"};

    private static String key(Random r) {
        return KEYS[r.nextInt(KEYS.length)];
    }

    private static Cmd command(Random r, int spread) {
        switch (r.nextInt(12)) {
            case 0, 1, 2, 3, 4 -> {
                List<String> argv = new ArrayList<>(List.of("PFADD", key(r)));
                int n = r.nextInt(r.nextInt(10) == 0 ? 400 : 6);
                for (int i = 0; i < n; i++) {
                    argv.add("e" + r.nextInt(spread));
                }
                return Cmd.exact(argv.toArray(new String[0]));
            }
            case 5, 6 -> {
                return r.nextBoolean() ? Cmd.exact("PFCOUNT", key(r)) : Cmd.exact("PFCOUNT", key(r), key(r), "none");
            }
            case 7 -> {
                return Cmd.exact("PFMERGE", r.nextInt(4) == 0 ? "dst" : key(r), key(r), key(r));
            }
            case 8, 9 -> {
                return Cmd.exact("GET", r.nextBoolean() ? key(r) : "dst");
            }
            case 10 -> {
                return r.nextInt(3) == 0 ? Cmd.exact("DEL", key(r)) : Cmd.exact("PFCOUNT", "dst");
            }
            default -> {
                if (r.nextBoolean()) {
                    return switch (r.nextInt(12)) {
                        case 0 -> Cmd.exact("PFDEBUG", "GETREG", key(r));
                        case 1, 2 -> Cmd.exact("PFDEBUG", "TODENSE", key(r));
                        case 3 -> Cmd.exact("PFDEBUG", "BOGUS", key(r));
                        case 4 -> Cmd.exact("PFDEBUG", "ENCODING", r.nextBoolean() ? "none" : "str");
                        case 5 -> Cmd.exact("PFSELFTEST");
                        case 6, 7, 8 -> Cmd.exact("PFDEBUG", "DECODE", key(r));
                        default -> Cmd.exact("PFDEBUG", "ENCODING", key(r));
                    };
                }
                return switch (r.nextInt(4)) {
                    case 0 -> Cmd.exact("SET", "str", "HYLLnot really");
                    case 1 -> Cmd.exact("PFADD", "str", "x");
                    case 2 -> Cmd.exact("RPUSH", "list", "x");
                    default -> Cmd.exact(List.of("PFCOUNT", "PFADD", "PFMERGE").get(r.nextInt(3)),
                            r.nextBoolean() ? "list" : "str");
                };
            }
        }
    }

    @Test
    void sparseHllsAgreeWithRedis() throws Exception {
        List<String> mismatches = Differential.run(21, 4000, r -> command(r, 300));
        assertThat(mismatches).as(Differential.report(mismatches)).isEmpty();
    }

    @Test
    void hllsGrowingDenseAgreeWithRedis() throws Exception {
        List<String> mismatches = Differential.run(22, 3000, r -> command(r, 1_000_000));
        assertThat(mismatches).as(Differential.report(mismatches)).isEmpty();
    }

    @Test
    void aSmallSparseLimitPromotesEarlyAsInRedis() throws Exception {
        List<String> mismatches = Differential.run(23, 2000, r -> command(r, 5000), "hll-sparse-max-bytes", "60");
        assertThat(mismatches).as(Differential.report(mismatches)).isEmpty();
    }
}
