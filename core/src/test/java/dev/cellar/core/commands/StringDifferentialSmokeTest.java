package dev.cellar.core.commands;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cellar.core.testing.Differential;
import dev.cellar.core.testing.Differential.Cmd;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The harness itself against the real Redis, on the GET/SET family. */
class StringDifferentialSmokeTest {

    @Test
    void getAndSetAgreeWithRedis() throws Exception {
        List<String> mismatches = Differential.run(42, 2000, r -> {
            String key = "k" + r.nextInt(8);
            String value = r.nextInt(3) == 0 ? Integer.toString(r.nextInt(1000)) : "v" + r.nextInt(100);
            return switch (r.nextInt(8)) {
                case 0 -> Cmd.exact("GET", key);
                case 1 -> Cmd.exact("SET", key, value);
                case 2 -> Cmd.exact("SET", key, value, r.nextBoolean() ? "NX" : "XX", "GET");
                case 3 -> Cmd.exact("SETNX", key, value);
                // Absolute times: relative ones would differ by the two servers' clock skew.
                case 4 -> Cmd.exact("SET", key, value, "EXAT", Integer.toString(r.nextInt(3) - 1 + 2_000_000_000));
                case 5 -> Cmd.exact("DEL", key, "k" + r.nextInt(8));
                case 6 -> Cmd.exact("EXISTS", key, key);
                default -> Cmd.exact("SET", key, value, "KEEPTTL", "GET", "GET");
            };
        });
        assertThat(mismatches).as(Differential.report(mismatches)).isEmpty();
    }
}
