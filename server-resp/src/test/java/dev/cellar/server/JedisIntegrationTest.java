package dev.cellar.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.Transaction;
import redis.clients.jedis.exceptions.JedisDataException;

@DisplayName("Jedis against the server")
class JedisIntegrationTest {
    static ServerFixture fixture;

    @BeforeAll
    static void start() throws Exception {
        fixture = ServerFixture.start();
    }

    @AfterAll
    static void stop() {
        fixture.close();
    }

    static Jedis jedis() {
        return new Jedis("127.0.0.1", fixture.port());
    }

    @Test
    @DisplayName("GEO, HyperLogLog, SORT, BITFIELD and LCS through Jedis's own API")
    void session8Commands() {
        try (Jedis j = jedis()) {
            j.del("geo", "hll", "hll2", "list", "bits", "s1", "s2");
            assertThat(j.geoadd("geo", 13.361389, 38.115556, "Palermo")).isEqualTo(1);
            assertThat(j.geoadd("geo", 15.087269, 37.502669, "Catania")).isEqualTo(1);
            assertThat(j.geodist("geo", "Palermo", "Catania", redis.clients.jedis.args.GeoUnit.KM))
                    .isCloseTo(166.2742, org.assertj.core.data.Offset.offset(0.0001));
            List<redis.clients.jedis.resps.GeoRadiusResponse> near = j.georadius("geo", 15, 37, 200,
                    redis.clients.jedis.args.GeoUnit.KM,
                    redis.clients.jedis.params.GeoRadiusParam.geoRadiusParam().withDist().withCoord().sortAscending());
            assertThat(near).extracting(redis.clients.jedis.resps.GeoRadiusResponse::getMemberByString)
                    .containsExactly("Catania", "Palermo");
            assertThat(near.get(0).getDistance()).isCloseTo(56.4413, org.assertj.core.data.Offset.offset(0.0001));
            assertThat(near.get(0).getCoordinate().getLongitude()).isCloseTo(15.087269, org.assertj.core.data.Offset.offset(1e-5));
            assertThat(j.geohash("geo", "Palermo")).containsExactly("sqc8b49rny0");
            assertThat(j.pfadd("hll", "a", "b", "c", "d")).isEqualTo(1);
            assertThat(j.pfadd("hll2", "c", "d", "e")).isEqualTo(1);
            assertThat(j.pfcount("hll")).isEqualTo(4);
            assertThat(j.pfmerge("hll", "hll2")).isEqualTo("OK");
            assertThat(j.pfcount("hll")).isEqualTo(5);
            j.rpush("list", "3", "1", "2");
            assertThat(j.sort("list")).containsExactly("1", "2", "3");
            assertThat(j.sort("list", new redis.clients.jedis.params.SortingParams().desc().limit(0, 2)))
                    .containsExactly("3", "2");
            assertThat(j.bitfield("bits", "INCRBY", "u8", "0", "200", "GET", "u8", "0")).containsExactly(200L, 200L);
            j.set("s1", "ohmytext");
            j.set("s2", "mynewtext");
            assertThat(j.lcs("s1", "s2", redis.clients.jedis.params.LCSParams.LCSParams()).getMatchString())
                    .isEqualTo("mytext");
        }
    }

    @Test
    @DisplayName("a pipeline of 2000 commands gets its replies in order")
    void pipelineInOrder() {
        try (Jedis j = jedis()) {
            Pipeline p = j.pipelined();
            List<Response<String>> gets = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                p.set("p" + i, "v" + i);
                gets.add(p.get("p" + i));
            }
            p.sync();
            for (int i = 0; i < 1000; i++) {
                assertThat(gets.get(i).get()).isEqualTo("v" + i);
            }
        }
    }

    @Test
    @DisplayName("MULTI/EXEC runs atomically and WATCH aborts on a concurrent change")
    void transactions() {
        try (Jedis a = jedis(); Jedis b = jedis()) {
            Transaction t = a.multi();
            t.set("tx", "1");
            t.get("tx");
            assertThat(t.exec()).containsExactly("OK", "1");

            a.watch("tx");
            b.set("tx", "2");
            Transaction t2 = a.multi();
            t2.set("tx", "3");
            assertThat(t2.exec()).isNull();
            assertThat(a.get("tx")).isEqualTo("2");
        }
    }

    @Test
    @DisplayName("Pub/Sub delivers channel and pattern messages, and PUBSUB reports subscriptions")
    void pubsub() throws Exception {
        BlockingQueue<String> got = new LinkedBlockingQueue<>();
        JedisPubSub listener = new JedisPubSub() {
            @Override
            public void onMessage(String channel, String message) {
                got.add(channel + "=" + message);
            }

            @Override
            public void onPMessage(String pattern, String channel, String message) {
                got.add(pattern + ":" + channel + "=" + message);
            }
        };
        try (Jedis sub = jedis(); Jedis pub = jedis()) {
            Thread t = new Thread(() -> sub.subscribe(listener, "news"));
            t.start();
            waitFor(() -> pub.pubsubNumSub("news").get("news") == 1L);
            listener.psubscribe("n*");
            waitFor(() -> pub.pubsubNumPat() == 1L);
            assertThat(pub.pubsubChannels()).contains("news");
            assertThat(pub.publish("news", "hello")).isEqualTo(2);
            assertThat(got.poll(5, TimeUnit.SECONDS)).isEqualTo("news=hello");
            assertThat(got.poll(5, TimeUnit.SECONDS)).isEqualTo("n*:news=hello");
            listener.unsubscribe();
            listener.punsubscribe();
            t.join(5000);
            assertThat(t.isAlive()).isFalse();
        }
    }

    @Test
    @DisplayName("keyspace notifications follow CONFIG SET notify-keyspace-events")
    void keyspaceNotifications() throws Exception {
        BlockingQueue<String> got = new LinkedBlockingQueue<>();
        JedisPubSub listener = new JedisPubSub() {
            @Override
            public void onPMessage(String pattern, String channel, String message) {
                got.add(channel + "=" + message);
            }
        };
        try (Jedis sub = jedis(); Jedis c = jedis()) {
            c.configSet("notify-keyspace-events", "KEA");
            Thread t = new Thread(() -> sub.psubscribe(listener, "__key*__:*"));
            t.start();
            waitFor(() -> c.pubsubNumPat() >= 1L);
            c.set("kn", "v");
            assertThat(List.of(got.poll(5, TimeUnit.SECONDS), got.poll(5, TimeUnit.SECONDS)))
                    .containsExactlyInAnyOrder("__keyspace@0__:kn=set", "__keyevent@0__:set=kn");
            c.configSet("notify-keyspace-events", "");
            c.del("kn");
            c.set("kn2", "v");
            c.publish("__keyspace@0__:marker", "m");
            assertThat(got.poll(5, TimeUnit.SECONDS)).isEqualTo("__keyspace@0__:marker=m");
            listener.punsubscribe();
            t.join(5000);
        }
    }

    @Test
    @DisplayName("CONFIG GET takes glob patterns, CONFIG SET several pairs atomically")
    void config() {
        try (Jedis j = jedis()) {
            Map<String, String> m = j.configGet("slowlog-*");
            assertThat(m).containsEntry("slowlog-max-len", "128").containsKey("slowlog-log-slower-than");
            assertThat(j.configSet("slowlog-max-len", "5", "timeout", "0")).isEqualTo("OK");
            assertThat(j.configGet("slowlog-max-len")).containsEntry("slowlog-max-len", "5");
            assertThatThrownBy(() -> j.configSet("slowlog-max-len", "7", "maxclients", "notanumber"))
                    .isInstanceOf(JedisDataException.class).hasMessageContaining("maxclients");
            assertThat(j.configGet("slowlog-max-len")).containsEntry("slowlog-max-len", "5");
            j.configSet("slowlog-max-len", "128");
            assertThat(j.configResetStat()).isEqualTo("OK");
            assertThat(j.info("stats")).contains("total_connections_received:0");
        }
    }

    @Test
    @DisplayName("SLOWLOG records commands slower than the threshold")
    void slowlog() {
        try (Jedis j = jedis()) {
            j.slowlogReset();
            j.configSet("slowlog-log-slower-than", "0");
            j.set("slow", "1");
            j.configSet("slowlog-log-slower-than", "10000");
            assertThat(j.slowlogLen()).isGreaterThanOrEqualTo(1);
            assertThat(j.slowlogGet(10).toString()).contains("slow");
        }
    }

    @Test
    @DisplayName("CLIENT SETNAME/GETNAME/ID/LIST/INFO/KILL behave as Redis's")
    void client() {
        try (Jedis a = jedis(); Jedis b = jedis()) {
            a.clientSetname("alpha");
            assertThat(a.clientGetname()).isEqualTo("alpha");
            long id = a.clientId();
            assertThat(b.clientList()).contains("id=" + id + " ").contains("name=alpha");
            assertThat(a.clientInfo()).contains("name=alpha").contains("cmd=client|info");
            assertThatThrownBy(() -> a.clientSetname("has space")).hasMessageContaining("Client names cannot contain");
            assertThat(b.clientKill(redis.clients.jedis.params.ClientKillParams.clientKillParams().id(
                    Long.toString(id)))).isEqualTo(1);
            assertThatThrownBy(a::ping).isInstanceOf(redis.clients.jedis.exceptions.JedisConnectionException.class);
        }
    }

    @Test
    @DisplayName("INFO has Redis's sections and field names")
    void info() {
        try (Jedis j = jedis()) {
            j.set("infokey", "v");
            String all = j.info("everything");
            assertThat(all).contains("# Server", "redis_version:7.0.15", "tcp_port:" + fixture.port(), "# Clients",
                    "connected_clients:", "# Memory", "used_memory:", "# Persistence", "# Stats",
                    "total_commands_processed:", "# Replication", "role:master", "# CPU", "used_cpu_user:",
                    "# Commandstats", "cmdstat_set:calls=", "# Errorstats", "# Keyspace", "db0:keys=");
            assertThat(j.info("keyspace")).startsWith("# Keyspace\r\n").doesNotContain("# Server");
        }
    }

    @Test
    @DisplayName("COMMAND COUNT, INFO and GETKEYS answer from the engine's table")
    void command() {
        try (Jedis j = jedis()) {
            assertThat(j.commandCount()).isGreaterThan(20);
            assertThat(j.commandGetKeys("SET", "k", "v")).containsExactly("k");
            assertThat(j.commandGetKeys("DEL", "a", "b")).containsExactly("a", "b");
            assertThat(j.commandInfo("get").get("get").getArity()).isEqualTo(2);
            assertThat(j.commandList()).contains("get", "client|list");
        }
    }

    @Test
    @DisplayName("DEBUG is refused by default with Redis 7.0's message")
    void debugRefused() {
        try (Jedis j = jedis()) {
            assertThatThrownBy(() -> j.sendCommand(() -> "DEBUG".getBytes(java.nio.charset.StandardCharsets.US_ASCII), "SLEEP", "0"))
                    .hasMessageStartingWith("ERR DEBUG command not allowed.");
        }
    }

    @Nested
    @DisplayName("with requirepass")
    class Auth {
        @Test
        @DisplayName("commands need AUTH first; wrong passwords are refused")
        void auth() throws Exception {
            try (ServerFixture f = ServerFixture.start("requirepass", "s3cret");
                    Jedis j = new Jedis("127.0.0.1", f.port())) {
                assertThatThrownBy(() -> j.get("x")).hasMessage("NOAUTH Authentication required.");
                assertThatThrownBy(() -> j.auth("nope"))
                        .hasMessage("WRONGPASS invalid username-password pair or user is disabled.");
                assertThat(j.auth("s3cret")).isEqualTo("OK");
                assertThat(j.ping()).isEqualTo("PONG");
            }
        }

        @Test
        @DisplayName("AUTH without a configured password gets Redis's hint")
        void authWithoutPassword() {
            try (Jedis j = jedis()) {
                assertThatThrownBy(() -> j.auth("x")).hasMessageStartingWith(
                        "ERR AUTH <password> called without any password configured for the default user.");
            }
        }
    }

    static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met in 5 s");
            }
            Thread.sleep(10);
        }
    }
}
