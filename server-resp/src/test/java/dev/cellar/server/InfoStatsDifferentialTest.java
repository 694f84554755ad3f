package dev.cellar.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cellar.api.Reply;
import dev.cellar.core.testing.RedisServerProcess;
import dev.cellar.core.testing.RespClient;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** INFO stats' traffic figures (total_net_*_bytes, instantaneous_*) beside a real redis-server. */
@DisplayName("INFO stats traffic figures against redis-server")
class InfoStatsDifferentialTest {
    private static Map<String, String> stats(Reply info) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String line : ((Reply.Bulk) info).text().split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                fields.put(line.substring(0, colon), line.substring(colon + 1));
            }
        }
        return fields;
    }

    /** The bytes a bulk reply took on the wire: {@code $<len>\r\n<body>\r\n}. */
    private static long wireLength(Reply bulk) {
        int len = ((Reply.Bulk) bulk).value().length;
        return 1 + Integer.toString(len).length() + 2 + len + 2;
    }

    /** Bytes in and out for a fixed exchange, measured by the server between two INFO calls. */
    private static long[] traffic(RespClient c) throws Exception {
        Reply first = c.call("INFO", "stats");
        assertThat(c.call("SET", "k", "v".repeat(100))).isEqualTo(Reply.OK);
        assertThat(c.call("GET", "k")).isEqualTo(Reply.bulk("v".repeat(100)));
        assertThat(c.call("PING")).isEqualTo(new Reply.Simple("PONG"));
        assertThat(c.call("NOSUCHCOMMAND")).isInstanceOf(Reply.Error.class);
        Reply second = c.call("INFO", "stats");
        Map<String, String> a = stats(first);
        Map<String, String> b = stats(second);
        long in = Long.parseLong(b.get("total_net_input_bytes")) - Long.parseLong(a.get("total_net_input_bytes"));
        long out = Long.parseLong(b.get("total_net_output_bytes")) - Long.parseLong(a.get("total_net_output_bytes"))
                - wireLength(first);
        return new long[] {in, out};
    }

    @Test
    @DisplayName("bytes read and written are counted as Redis counts them, and the stats fields come in Redis's order")
    void netBytes() throws Exception {
        try (RedisServerProcess redis = RedisServerProcess.start();
                ServerFixture cellar = ServerFixture.start();
                RespClient r = redis.client();
                RespClient c = cellar.client()) {
            long[] expected = traffic(r);
            long[] actual = traffic(c);
            assertThat(expected[0]).isPositive();
            assertThat(actual).containsExactly(expected);
            List<String> redisFields = List.copyOf(stats(r.call("INFO", "stats")).keySet());
            List<String> cellarFields = List.copyOf(stats(c.call("INFO", "stats")).keySet());
            // Cellar shows a subset of Redis's stats; those it shows come in Redis's order.
            assertThat(redisFields).containsSubsequence(cellarFields);
            assertThat(cellarFields).contains("total_net_input_bytes", "total_net_output_bytes",
                    "instantaneous_input_kbps", "instantaneous_output_kbps");
        }
    }

    @Test
    @DisplayName("instantaneous_ops_per_sec and the kbps figures follow a burst of commands, then fall back to 0")
    void instantaneousFigures() throws Exception {
        try (ServerFixture cellar = ServerFixture.start(); RespClient c = cellar.client()) {
            byte[] ping = "PING\r\n".getBytes(StandardCharsets.US_ASCII);
            long until = System.nanoTime() + 500_000_000L;
            int sent = 0;
            while (System.nanoTime() < until) {
                for (int i = 0; i < 100; i++) {
                    c.sendRaw(ping);
                }
                for (int i = 0; i < 100; i++) {
                    c.read();
                }
                sent += 100;
            }
            Map<String, String> busy = stats(c.call("INFO", "stats"));
            assertThat(Long.parseLong(busy.get("instantaneous_ops_per_sec"))).as("after %d PINGs", sent).isPositive();
            assertThat(Double.parseDouble(busy.get("instantaneous_input_kbps"))).isPositive();
            assertThat(Double.parseDouble(busy.get("instantaneous_output_kbps"))).isPositive();
            Thread.sleep(2_000); // longer than the 16 samples of 100 ms
            Map<String, String> idle = stats(c.call("INFO", "stats"));
            assertThat(idle.get("instantaneous_ops_per_sec")).isEqualTo("0");
        }
    }

    @Test
    @DisplayName("the ring of 16 samples: rates per second, their mean, Redis's kbps text")
    void ring() {
        InstantaneousMetrics m = new InstantaneousMetrics();
        m.sample(InstantaneousMetrics.COMMANDS, 500, 10_000); // first sample: no rate yet
        assertThat(m.rate(InstantaneousMetrics.COMMANDS)).isZero();
        m.sample(InstantaneousMetrics.COMMANDS, 600, 10_100); // 100 in 100 ms
        assertThat(m.rate(InstantaneousMetrics.COMMANDS)).isEqualTo(1000 / 16);
        for (int i = 2; i <= 20; i++) {
            m.sample(InstantaneousMetrics.COMMANDS, 600 + (i - 1) * 200, 10_000 + i * 100L); // 2000/s
        }
        assertThat(m.rate(InstantaneousMetrics.COMMANDS)).isEqualTo(2000);
        assertThat(m.rate(InstantaneousMetrics.NET_INPUT)).isZero();
        assertThat(InstantaneousMetrics.kbps(0)).isEqualTo("0.00");
        assertThat(InstantaneousMetrics.kbps(1024)).isEqualTo("1.00");
        assertThat(InstantaneousMetrics.kbps(1536)).isEqualTo("1.50");
        assertThat(InstantaneousMetrics.kbps(10)).isEqualTo("0.01");
        assertThat(InstantaneousMetrics.kbps(1_048_576 * 3 + 512)).isEqualTo("3072.50");
    }
    /** Commands refused before they run, then INFO errorstats and the error count. */
    private static List<String> rejections(RespClient c) throws Exception {
        List<String> seen = new java.util.ArrayList<>();
        seen.add("resetstat " + c.call("CONFIG", "RESETSTAT"));
        seen.add("unknown " + c.call("NOSUCHCOMMAND", "x"));
        seen.add("arity " + c.call("GET"));
        seen.add("subcommand " + c.call("CONFIG", "NOSUCH"));
        seen.add("multi " + c.call("MULTI"));
        seen.add("queued unknown " + c.call("NOSUCH"));
        seen.add("exec " + c.call("EXEC"));
        seen.add("maxmemory " + c.call("CONFIG", "SET", "maxmemory", "1"));
        seen.add("oom " + c.call("SET", "x", "y"));
        seen.add("maxmemory off " + c.call("CONFIG", "SET", "maxmemory", "0"));
        seen.add("handler error " + c.call("INCR", "notanumber"));
        seen.add("set " + c.call("SET", "s", "abc"));
        seen.add("wrongtype " + c.call("LPUSH", "s", "a"));
        seen.add("command count is a number " + (c.call("COMMAND", "COUNT") instanceof Reply.Int));
        seen.add("command nosuch " + c.call("COMMAND", "NOSUCH"));
        seen.add("errorstats " + ((Reply.Bulk) c.call("INFO", "errorstats")).text().strip());
        String commandstats = ((Reply.Bulk) c.call("INFO", "commandstats")).text();
        seen.add("cmdstat_command|count " + commandstats.contains("cmdstat_command|count:calls=1,"));
        seen.add("total_error_replies " + stats(c.call("INFO", "stats")).get("total_error_replies"));
        return seen;
    }

    @Test
    @DisplayName("errors of refused commands (unknown, arity, OOM, EXECABORT) count in errorstats and total_error_replies as in Redis")
    void rejectedCommandsCount() throws Exception {
        try (RedisServerProcess redis = RedisServerProcess.start();
                ServerFixture cellar = ServerFixture.start();
                RespClient r = redis.client();
                RespClient c = cellar.client()) {
            assertThat(rejections(c)).isEqualTo(rejections(r));
        }
    }
}
