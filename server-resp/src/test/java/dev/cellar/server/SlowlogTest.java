package dev.cellar.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.commands.ProtocolCommand;
import redis.clients.jedis.resps.Slowlog;

/**
 * The slow log records what Redis's {@code call()} measures: the command's own run time, taken
 * from the engine's timing of the call (the server does not time it a second time).
 */
class SlowlogTest {
    private static final ProtocolCommand DEBUG = () -> "DEBUG".getBytes(StandardCharsets.US_ASCII);
    static ServerFixture fixture;

    @BeforeAll
    static void start() throws Exception {
        fixture = ServerFixture.start("enable-debug-command", "yes");
    }

    @AfterAll
    static void stop() throws Exception {
        fixture.close();
    }

    @BeforeEach
    void reset() {
        try (Jedis j = new Jedis("127.0.0.1", fixture.port())) {
            j.slowlogReset();
        }
    }

    @Test
    void aSlowCommandIsLoggedWithItsOwnDurationAndAFastOneIsNot() {
        try (Jedis j = new Jedis("127.0.0.1", fixture.port())) {
            j.configSet("slowlog-log-slower-than", "20000");
            j.sendCommand(DEBUG, "SLEEP", "0.05");
            j.set("fast", "1");
            List<Slowlog> logged = j.slowlogGet(10);
            assertThat(logged).hasSize(1);
            assertThat(logged.get(0).getArgs()).containsExactly("DEBUG", "SLEEP", "0.05");
            assertThat(logged.get(0).getExecutionTime()).isBetween(50_000L, 5_000_000L);
        } finally {
            restoreThreshold();
        }
    }

    @Test
    void aCommandThatServesABlockedClientIsLoggedWithItsOwnDuration() throws Exception {
        try (Jedis waiter = new Jedis("127.0.0.1", fixture.port()); Jedis j = new Jedis("127.0.0.1", fixture.port())) {
            j.configSet("slowlog-log-slower-than", "0");
            Thread blocked = new Thread(() -> waiter.blpop(5, "slowlog:queue"));
            blocked.start();
            while (!j.clientList().contains("cmd=blpop")) {
                Thread.sleep(5);
            }
            j.rpush("slowlog:queue", "x");
            blocked.join();
            j.configSet("slowlog-log-slower-than", "10000");
            // As Redis 7.0: the served BLPOP is logged once, when it completes; the RPUSH once
            List<String> names = j.slowlogGet(20).stream().map(e -> e.getArgs().get(0).toLowerCase()).toList();
            assertThat(names).containsOnlyOnce("blpop", "rpush");
        } finally {
            restoreThreshold();
        }
    }

    @Test
    void aBlockedCommandThatTimesOutIsNotLogged() {
        // Redis 7.0.15 counts it in commandstats but leaves it out of the slow log
        try (Jedis j = new Jedis("127.0.0.1", fixture.port())) {
            j.configSet("slowlog-log-slower-than", "0");
            assertThat(j.blpop(0.05, "slowlog:empty")).isNull();
            j.configSet("slowlog-log-slower-than", "10000");
            List<String> names = j.slowlogGet(20).stream().map(e -> e.getArgs().get(0).toLowerCase()).toList();
            assertThat(names).doesNotContain("blpop");
        } finally {
            restoreThreshold();
        }
    }

    @Test
    void commandsQueuedInATransactionAreLoggedAndExecIsNot() {
        try (Jedis j = new Jedis("127.0.0.1", fixture.port())) {
            j.configSet("slowlog-log-slower-than", "0");
            var t = j.multi();
            t.set("slowlog:a", "1");
            t.incr("slowlog:a");
            t.exec();
            j.configSet("slowlog-log-slower-than", "10000");
            List<String> names = j.slowlogGet(20).stream().map(e -> e.getArgs().get(0).toLowerCase()).toList();
            assertThat(names).contains("multi", "set", "incr").doesNotContain("exec");
        } finally {
            restoreThreshold();
        }
    }

    private static void restoreThreshold() {
        try (Jedis j = new Jedis("127.0.0.1", fixture.port())) {
            j.configSet("slowlog-log-slower-than", "10000");
        }
    }
}
