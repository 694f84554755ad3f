package dev.cellar.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cellar.api.Reply;
import dev.cellar.core.testing.RespClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * INFO beside a real redis-server: every section has Redis 7.0's fields in Redis's order, and the
 * memory, stats, CPU and keyspace figures move as Redis's do for the same commands.
 */
@DisplayName("INFO fields against redis-server")
class InfoFieldsDifferentialTest {
    /**
     * Fields Cellar adds: its own (cellar_*, the JVM heap) and two that Redis added in 7.2
     * (pubsub_clients, watching_clients).
     */
    private static final Predicate<String> CELLAR_EXTRA = f -> f.startsWith("cellar_") || f.startsWith("jvm_")
            || f.equals("java_version") || f.equals("pubsub_clients") || f.equals("watching_clients");

    /** Section name to its fields, in the order the server gave them. */
    private static Map<String, Map<String, String>> sections(Reply info) {
        Map<String, Map<String, String>> out = new LinkedHashMap<>();
        Map<String, String> current = null;
        for (String line : ((Reply.Bulk) info).text().split("\r\n")) {
            if (line.startsWith("# ")) {
                current = new LinkedHashMap<>();
                out.put(line.substring(2), current);
            } else if (current != null && line.indexOf(':') > 0) {
                current.put(line.substring(0, line.indexOf(':')), line.substring(line.indexOf(':') + 1));
            }
        }
        return out;
    }

    private static Map<String, String> fields(RespClient c, String section) throws Exception {
        return sections(c.call("INFO", section)).values().iterator().next();
    }

    private static long number(RespClient c, String section, String field) throws Exception {
        String v = fields(c, section).get(field);
        assertThat(v).as(field).isNotNull();
        return Long.parseLong(v);
    }

    private static double decimal(RespClient c, String section, String field) throws Exception {
        String v = fields(c, section).get(field);
        assertThat(v).as(field).isNotNull();
        return Double.parseDouble(v.replace("%", ""));
    }

    /** The same writes for both servers: strings, a key with a long TTL, a hash. */
    private static void workload(RespClient c) throws Exception {
        for (int i = 0; i < 50; i++) {
            assertThat(c.call("SET", "key:" + i, "value " + i)).isEqualTo(Reply.OK);
        }
        assertThat(c.call("SET", "ttl", "v", "EX", "1000")).isEqualTo(Reply.OK);
        assertThat(c.call("HSET", "h", "f", "v")).isEqualTo(Reply.of(1));
        assertThat(c.call("GET", "key:1")).isEqualTo(Reply.bulk("value 1"));
        assertThat(c.call("GET", "missing")).isEqualTo(Reply.NULL);
        assertThat(c.call("NOSUCHCOMMAND")).isInstanceOf(Reply.Error.class);
        assertThat(c.call("PING")).isEqualTo(new Reply.Simple("PONG")); // the oracle's start pings it
    }

    @Test
    @DisplayName("INFO everything has every section and field redis-server 7.0 shows, in its order")
    void sameFieldsInTheSameOrder(@TempDir Path dir) throws Exception {
        try (SideBySide both = SideBySide.start(dir)) {
            RespClient r = both.redis;
            RespClient c = both.cellar;
            workload(r);
            workload(c);
            Map<String, Map<String, String>> expected = sections(r.call("INFO", "everything"));
            Map<String, Map<String, String>> actual = sections(c.call("INFO", "everything"));
            assertThat(actual.keySet()).containsExactlyElementsOf(expected.keySet());
            for (String section : expected.keySet()) {
                List<String> mine = new ArrayList<>(actual.get(section).keySet());
                mine.removeIf(CELLAR_EXTRA);
                List<String> theirs = new ArrayList<>(expected.get(section).keySet());
                if (Set.of("Commandstats", "Errorstats", "Latencystats").contains(section)) {
                    // Redis lists these in its dictionary's order
                    assertThat(mine).as(section).containsExactlyInAnyOrderElementsOf(theirs);
                } else {
                    assertThat(mine).as(section).containsExactlyElementsOf(theirs);
                }
            }
        }
    }

    @Test
    @DisplayName("used_memory_peak keeps the highest used_memory after the data is deleted, as Redis's does")
    void peakMemory(@TempDir Path dir) throws Exception {
        try (SideBySide both = SideBySide.start(dir)) {
            for (RespClient client : both.clients()) {
                long before = number(client, "memory", "used_memory");
                assertThat(client.call("SET", "big", "x".repeat(4 << 20))).isEqualTo(Reply.OK);
                long full = number(client, "memory", "used_memory");
                assertThat(full).isGreaterThan(before + (4 << 20) - 1);
                assertThat(number(client, "memory", "used_memory_peak")).isGreaterThanOrEqualTo(full);
                assertThat(client.call("DEL", "big")).isEqualTo(Reply.of(1));
                assertThat(number(client, "memory", "used_memory")).isLessThan(full - (4 << 20) + 1);
                assertThat(number(client, "memory", "used_memory_peak")).isGreaterThanOrEqualTo(full);
                assertThat(decimal(client, "memory", "used_memory_peak_perc")).isLessThan(100);
                Map<String, String> m = fields(client, "memory");
                long used = Long.parseLong(m.get("used_memory"));
                long overhead = Long.parseLong(m.get("used_memory_overhead"));
                long dataset = Long.parseLong(m.get("used_memory_dataset"));
                assertThat(overhead + dataset).isEqualTo(used);
                assertThat(client.call("CONFIG", "RESETSTAT")).isEqualTo(Reply.OK);
                assertThat(number(client, "memory", "used_memory_peak")).as("RESETSTAT keeps the peak")
                        .isGreaterThanOrEqualTo(full);
            }
        }
    }

    @Test
    @DisplayName("total_forks and latest_fork_usec count background saves; RESETSTAT clears them")
    void forks(@TempDir Path dir) throws Exception {
        try (SideBySide both = SideBySide.start(dir, "cellar-persistence", "rdb")) {
            RespClient r = both.redis;
            RespClient c = both.cellar;
            for (RespClient client : List.of(r, c)) {
                assertThat(client.call("SET", "k", "v")).isEqualTo(Reply.OK);
                assertThat(number(client, "stats", "total_forks")).isZero();
                assertThat(client.call("BGSAVE")).isEqualTo(new Reply.Simple("Background saving started"));
                long deadline = System.nanoTime() + 30_000_000_000L;
                while (!PersistenceInfo.field(client, "rdb_bgsave_in_progress").equals("0")
                        && System.nanoTime() < deadline) {
                    Thread.sleep(10);
                }
                assertThat(PersistenceInfo.field(client, "rdb_last_bgsave_status")).isEqualTo("ok");
                assertThat(number(client, "stats", "total_forks")).isEqualTo(1);
                assertThat(number(client, "stats", "latest_fork_usec")).isPositive();
                assertThat(client.call("CONFIG", "RESETSTAT")).isEqualTo(Reply.OK);
                assertThat(number(client, "stats", "total_forks")).isZero();
                assertThat(number(client, "stats", "latest_fork_usec")).isZero();
            }
        }
    }

    /** Reads and writes on the socket for ten PINGs, as counted between two INFO calls. */
    private static long[] socketCalls(RespClient c) throws Exception {
        long reads = number(c, "stats", "total_reads_processed");
        long writes = number(c, "stats", "total_writes_processed");
        for (int i = 0; i < 10; i++) {
            assertThat(c.call("PING")).isEqualTo(new Reply.Simple("PONG"));
        }
        return new long[] {number(c, "stats", "total_reads_processed") - reads,
            number(c, "stats", "total_writes_processed") - writes};
    }

    @Test
    @DisplayName("total_reads_processed and total_writes_processed count one read and one write per request")
    void socketCalls(@TempDir Path dir) throws Exception {
        try (SideBySide both = SideBySide.start(dir)) {
            RespClient r = both.redis;
            RespClient c = both.cellar;
            long[] expected = socketCalls(r);
            assertThat(expected[0]).isEqualTo(12); // the writes' INFO, ten PINGs, the last INFO
            assertThat(socketCalls(c)).containsExactly(expected);
        }
    }

    @Test
    @DisplayName("active expiry's figures: expired_stale_perc, expire_cycle_cpu_milliseconds and avg_ttl")
    void activeExpiry(@TempDir Path dir) throws Exception {
        try (SideBySide both = SideBySide.start(dir)) {
            for (RespClient client : both.clients()) {
                for (int i = 0; i < 200; i++) {
                    assertThat(client.call("SET", "short:" + i, "v", "PX", "5")).isEqualTo(Reply.OK);
                    assertThat(client.call("SET", "long:" + i, "v", "EX", "1000")).isEqualTo(Reply.OK);
                }
                long deadline = System.nanoTime() + 10_000_000_000L;
                while (number(client, "stats", "expired_keys") < 100 && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                assertThat(number(client, "stats", "expired_keys")).isGreaterThanOrEqualTo(100);
                assertThat(decimal(client, "stats", "expired_stale_perc")).isPositive();
                String db0 = fields(client, "keyspace").get("db0");
                long avgTtl = Long.parseLong(db0.substring(db0.indexOf("avg_ttl=") + 8).split(",")[0]);
                // the keys sampled still to live had under 1000 s left
                assertThat(avgTtl).isPositive().isLessThanOrEqualTo(1_000_000);
                assertThat(client.call("FLUSHALL")).isEqualTo(Reply.OK);
                assertThat(client.call("SET", "plain", "v")).isEqualTo(Reply.OK);
                assertThat(fields(client, "keyspace").get("db0")).isEqualTo("keys=1,expires=0,avg_ttl=0");
            }
        }
    }

    @Test
    @DisplayName("time over maxmemory with nothing to evict: current_ and total_eviction_exceeded_time")
    void evictionExceededTime(@TempDir Path dir) throws Exception {
        try (SideBySide both = SideBySide.start(dir)) {
            for (RespClient client : both.clients()) {
                assertThat(client.call("SET", "filler", "x".repeat(100_000))).isEqualTo(Reply.OK);
                assertThat(client.call("CONFIG", "SET", "maxmemory", "1")).isEqualTo(Reply.OK);
                Reply refused = client.call("SET", "k", "v");
                assertThat(refused).isInstanceOf(Reply.Error.class);
                assertThat(((Reply.Error) refused).message()).startsWith("OOM");
                Thread.sleep(1100);
                assertThat(number(client, "stats", "current_eviction_exceeded_time")).isGreaterThanOrEqualTo(1000);
                assertThat(client.call("CONFIG", "SET", "maxmemory", "1gb")).isEqualTo(Reply.OK);
                assertThat(client.call("SET", "k", "v")).isEqualTo(Reply.OK);
                assertThat(number(client, "stats", "current_eviction_exceeded_time")).isZero();
                assertThat(number(client, "stats", "total_eviction_exceeded_time")).isGreaterThanOrEqualTo(1000);
            }
        }
    }

    /** The upper bounds in µs of LATENCY HISTOGRAM's levels: 1024 ns doubling, each its bucket's top. */
    private static Set<Long> levelLabels() {
        Set<Long> labels = new java.util.HashSet<>();
        for (long level = 1024; level <= 1L << 31; level <<= 1) {
            int bucket = 63 - Long.numberOfLeadingZeros(level) - 7; // 256 sub-buckets: level is sub-bucket 128
            labels.add((level + (1L << bucket) - 1) / 1000);
        }
        return labels;
    }

    @Test
    @DisplayName("latency tracking: the percentiles setting, INFO latencystats and LATENCY HISTOGRAM as in Redis")
    void latencyTracking(@TempDir Path dir) throws Exception {
        try (SideBySide both = SideBySide.start(dir)) {
            RespClient r = both.redis;
            RespClient c = both.cellar;
            String name = "latency-tracking-info-percentiles";
            for (String value : List.of("101", "abc", "50 x")) {
                assertThat(c.call("CONFIG", "SET", name, value)).as(value).isEqualTo(r.call("CONFIG", "SET", name, value));
            }
            for (RespClient client : List.of(r, c)) {
                assertThat(client.call("CONFIG", "SET", name, "0 100.0 33.3333330")).isEqualTo(Reply.OK);
                assertThat(client.call("CONFIG", "GET", name))
                        .isEqualTo(Reply.array(List.of(Reply.bulk(name), Reply.bulk("0 100 33.333333"))));
                for (int i = 0; i < 20; i++) {
                    assertThat(client.call("SET", "k" + i, "v")).isEqualTo(Reply.OK);
                }
                String line = fields(client, "latencystats").get("latency_percentiles_usec_set");
                assertThat(line).matches("p0=\\d+\\.\\d{3},p100=\\d+\\.\\d{3},p33\\.333333=\\d+\\.\\d{3}");
                List<Reply> reply = ((Reply.Array) client.call("LATENCY", "HISTOGRAM", "set", "nosuchcommand")).items();
                assertThat(reply).hasSize(2);
                assertThat(reply.get(0)).isEqualTo(Reply.bulk("set"));
                List<Reply> detail = ((Reply.Array) reply.get(1)).items();
                assertThat(detail.subList(0, 3)).containsExactly(Reply.bulk("calls"), Reply.of(20), Reply.bulk("histogram_usec"));
                List<Reply> levels = ((Reply.Array) detail.get(3)).items();
                long previous = 0;
                for (int i = 0; i < levels.size(); i += 2) {
                    assertThat(levelLabels()).contains(((Reply.Int) levels.get(i)).value());
                    long cumulative = ((Reply.Int) levels.get(i + 1)).value();
                    assertThat(cumulative).isGreaterThan(previous);
                    previous = cumulative;
                }
                assertThat(previous).isEqualTo(20);
                // off: nothing listed; RESETSTAT forgets the histograms
                assertThat(client.call("CONFIG", "SET", "latency-tracking", "no")).isEqualTo(Reply.OK);
                assertThat(fields(client, "latencystats")).isEmpty();
                assertThat(client.call("CONFIG", "SET", "latency-tracking", "yes")).isEqualTo(Reply.OK);
                assertThat(client.call("CONFIG", "RESETSTAT")).isEqualTo(Reply.OK);
                assertThat(client.call("LATENCY", "HISTOGRAM", "set")).isEqualTo(Reply.EMPTY_ARRAY);
            }
        }
    }

    @Test
    @DisplayName("memory and CPU figures Cellar measures itself are present and consistent")
    void ownFigures(@TempDir Path dir) throws Exception {
        try (ServerFixture cellar = ServerFixture.start("dir", dir.toString()); RespClient c = cellar.client()) {
            workload(c);
            Map<String, String> m = fields(c, "memory");
            assertThat(Long.parseLong(m.get("mem_clients_normal"))).isGreaterThanOrEqualTo(1024);
            assertThat(Long.parseLong(m.get("allocator_allocated"))).isPositive();
            assertThat(Long.parseLong(m.get("allocator_active")))
                    .isGreaterThanOrEqualTo(Long.parseLong(m.get("allocator_allocated")));
            assertThat(Long.parseLong(m.get("used_memory_startup"))).isPositive()
                    .isLessThanOrEqualTo(Long.parseLong(m.get("used_memory")));
            Map<String, String> cpu = fields(c, "cpu");
            double serving = Double.parseDouble(cpu.get("used_cpu_user_main_thread"))
                    + Double.parseDouble(cpu.get("used_cpu_sys_main_thread"));
            double all = Double.parseDouble(cpu.get("used_cpu_user")) + Double.parseDouble(cpu.get("used_cpu_sys"));
            if (Files.exists(Path.of("/proc/self/task"))) {
                assertThat(serving).isLessThanOrEqualTo(all);
            }
        }
    }
}
