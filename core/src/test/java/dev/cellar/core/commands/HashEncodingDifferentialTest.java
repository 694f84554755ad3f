package dev.cellar.core.commands;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cellar.api.Reply;
import dev.cellar.core.testing.ManualClock;
import dev.cellar.core.testing.RedisServerProcess;
import dev.cellar.core.testing.Resp2;
import dev.cellar.core.testing.RespClient;
import dev.cellar.core.testing.TestEngine;
import dev.cellar.core.testing.Differential.Cmd;
import dev.cellar.core.values.HashValue;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * What the reply-by-reply differential cannot see: after every command the encoding of every hash
 * key must be the one Redis's {@code OBJECT ENCODING} reports (so conversions happen at the same
 * command), a listpack's HGETALL must equal Redis's byte for byte, and a complete HSCAN iteration
 * (any COUNT, with or without MATCH) must return the same set of pairs.
 */
class HashEncodingDifferentialTest {
    private static final List<String> KEYS = List.of("s0", "s1", "s2", "s3", "l0", "l1", "l2");
    /** How often each encoding was seen, so that a run that never converts fails rather than passes. */
    private final java.util.Map<String, Integer> seen = new java.util.HashMap<>();

    @Test
    void defaultThresholds() throws Exception {
        assertThat(run(4242, 3000, false)).isEmpty();
        assertThat(seen.getOrDefault("listpack", 0)).isGreaterThan(1000);
        assertThat(seen.getOrDefault("hashtable", 0)).isGreaterThan(1000);
    }

    @Test
    void smallAndChangingThresholds() throws Exception {
        assertThat(run(31337, 3000, true, "hash-max-listpack-entries", "4", "hash-max-listpack-value", "16"))
                .isEmpty();
        assertThat(seen.getOrDefault("listpack", 0)).isGreaterThan(1000);
        assertThat(seen.getOrDefault("hashtable", 0)).isGreaterThan(1000);
    }

    private List<String> run(long seed, int count, boolean configChanges, String... settings) throws Exception {
        String[] options = new String[settings.length];
        for (int i = 0; i < settings.length; i += 2) {
            options[i] = "--" + settings[i];
            options[i + 1] = settings[i + 1];
        }
        List<String> mismatches = new ArrayList<>();
        HashDifferentialTest.Generator generator = new HashDifferentialTest.Generator(true, configChanges);
        try (RedisServerProcess redis = RedisServerProcess.start(options);
                RespClient client = redis.client();
                TestEngine cellar = TestEngine.create(new ManualClock(System.currentTimeMillis()), settings)) {
            Random random = new Random(seed);
            Random scanRandom = new Random(seed + 1);
            for (int i = 0; i < count && mismatches.size() < 20; i++) {
                Cmd cmd = generator.apply(random);
                client.call(cmd.argv());
                cellar.exec(cmd.argv());
                for (String key : KEYS) {
                    Reply expected = client.call("OBJECT", "ENCODING", key);
                    String actual = encoding(cellar, key);
                    String want = expected instanceof Reply.Bulk b ? b.text() : null;
                    seen.merge(String.valueOf(want), 1, Integer::sum);
                    if (!java.util.Objects.equals(want, actual)) {
                        mismatches.add("#" + i + " " + String.join(" ", cmd.argv()) + ": encoding of " + key
                                + " redis=" + want + " cellar=" + actual);
                    }
                    if ("listpack".equals(want)) {
                        Reply r = client.call("HGETALL", key);
                        Reply c = Resp2.of(cellar.exec("HGETALL", key));
                        if (!r.equals(c)) {
                            mismatches.add("#" + i + " HGETALL " + key + "\n   redis:  " + r + "\n   cellar: " + c);
                        }
                    }
                }
                if (i % 100 == 0) {
                    for (String key : KEYS) {
                        String pattern = scanRandom.nextBoolean() ? null : "f1*";
                        int pageSize = 1 + scanRandom.nextInt(30);
                        Set<String> r = fullScan(argv -> client.call(argv), key, pattern, pageSize);
                        Set<String> c = fullScan(argv -> Resp2.of(cellar.exec(argv)), key, pattern, pageSize);
                        if (!r.equals(c)) {
                            mismatches.add("#" + i + " full HSCAN " + key + " MATCH " + pattern + "\n   redis:  " + r
                                    + "\n   cellar: " + c);
                        }
                    }
                }
            }
        }
        return mismatches;
    }

    private static String encoding(TestEngine t, String key) {
        Object v = t.cellar.withLock(() -> t.cellar.engine().db(0).dict().get(key.getBytes(StandardCharsets.UTF_8)));
        if (v == null) {
            return null;
        }
        return v instanceof HashValue h ? h.encoding() : "string";
    }

    interface Exec {
        Reply call(String... argv) throws Exception;
    }

    /** Every pair a complete HSCAN iteration returns, as {@code field=value}. */
    static Set<String> fullScan(Exec exec, String key, String pattern, int count) throws Exception {
        Set<String> out = new TreeSet<>();
        String cursor = "0";
        do {
            List<String> argv = new ArrayList<>(List.of("HSCAN", key, cursor, "COUNT", Integer.toString(count)));
            if (pattern != null) {
                argv.add("MATCH");
                argv.add(pattern);
            }
            Reply reply = exec.call(argv.toArray(new String[0]));
            if (!(reply instanceof Reply.Array a)) {
                out.add("reply: " + reply);
                return out;
            }
            cursor = ((Reply.Bulk) a.items().get(0)).text();
            List<Reply> items = ((Reply.Array) a.items().get(1)).items();
            for (int i = 0; i < items.size(); i += 2) {
                out.add(items.get(i) + "=" + items.get(i + 1));
            }
        } while (!cursor.equals("0"));
        return out;
    }
}
