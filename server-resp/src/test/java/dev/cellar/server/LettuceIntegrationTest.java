package dev.cellar.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TransactionResult;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.protocol.ProtocolVersion;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@DisplayName("Lettuce against the server, in RESP2 and RESP3")
class LettuceIntegrationTest {
    static ServerFixture fixture;

    @BeforeAll
    static void start() throws Exception {
        fixture = ServerFixture.start();
    }

    @AfterAll
    static void stop() {
        fixture.close();
    }

    static RedisClient client(ProtocolVersion version) {
        RedisClient c = RedisClient.create(RedisURI.create("127.0.0.1", fixture.port()));
        c.setOptions(ClientOptions.builder().protocolVersion(version).build());
        c.setDefaultTimeout(Duration.ofSeconds(10));
        return c;
    }

    @ParameterizedTest
    @EnumSource(ProtocolVersion.class)
    @DisplayName("sync commands, an async pipeline and a transaction")
    void commands(ProtocolVersion version) {
        RedisClient client = client(version);
        try (StatefulRedisConnection<String, String> conn = client.connect()) {
            RedisCommands<String, String> sync = conn.sync();
            String p = version.name();
            assertThat(sync.set(p + "k", "v")).isEqualTo("OK");
            assertThat(sync.get(p + "k")).isEqualTo("v");
            assertThat(sync.configGet("maxclients")).containsEntry("maxclients", "10000");

            RedisAsyncCommands<String, String> async = conn.async();
            conn.setAutoFlushCommands(false);
            List<RedisFuture<?>> futures = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                futures.add(async.set(p + i, Integer.toString(i)));
                futures.add(async.get(p + i));
            }
            conn.flushCommands();
            assertThat(LettuceFutures.awaitAll(10, TimeUnit.SECONDS, futures.toArray(new RedisFuture[0]))).isTrue();
            conn.setAutoFlushCommands(true);
            for (int i = 0; i < 500; i++) {
                assertThat(futures.get(2 * i + 1).toCompletableFuture().join()).isEqualTo(Integer.toString(i));
            }

            sync.multi();
            sync.set(p + "t", "1");
            sync.get(p + "t");
            TransactionResult tx = sync.exec();
            assertThat(tx.wasDiscarded()).isFalse();
            assertThat((Object) tx.get(1)).isEqualTo("1");
        } finally {
            client.shutdown();
        }
    }

    @ParameterizedTest
    @EnumSource(ProtocolVersion.class)
    @DisplayName("Pub/Sub messages reach the listener")
    void pubsub(ProtocolVersion version) throws Exception {
        RedisClient client = client(version);
        try (StatefulRedisPubSubConnection<String, String> sub = client.connectPubSub();
                StatefulRedisConnection<String, String> pub = client.connect()) {
            BlockingQueue<String> got = new LinkedBlockingQueue<>();
            sub.addListener(new RedisPubSubAdapter<>() {
                @Override
                public void message(String channel, String message) {
                    got.add(channel + "=" + message);
                }
            });
            sub.sync().subscribe("lc");
            if (version == ProtocolVersion.RESP3) {
                assertThat(sub.sync().ping()).isEqualTo("PONG"); // RESP3 allows commands while subscribed
            }
            assertThat(pub.sync().publish("lc", "hi")).isEqualTo(1);
            assertThat(got.poll(5, TimeUnit.SECONDS)).isEqualTo("lc=hi");
        } finally {
            client.shutdown();
        }
    }

    @Test
    @DisplayName("Lettuce's client-side caching: a cached value is dropped when another client changes it")
    void clientSideCaching() throws Exception {
        RedisClient client = client(ProtocolVersion.RESP3);
        try (StatefulRedisConnection<String, String> cached = client.connect();
                StatefulRedisConnection<String, String> other = client.connect()) {
            other.sync().set("csc", "first");
            java.util.Map<String, String> cache = new java.util.concurrent.ConcurrentHashMap<>();
            io.lettuce.core.support.caching.CacheFrontend<String, String> frontend =
                    io.lettuce.core.support.caching.ClientSideCaching.enable(
                            io.lettuce.core.support.caching.CacheAccessor.forMap(cache), cached,
                            io.lettuce.core.TrackingArgs.Builder.enabled());
            assertThat(frontend.get("csc")).isEqualTo("first");
            assertThat(cache).containsEntry("csc", "first");
            other.sync().set("csc", "second");
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (cache.containsKey("csc") && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(cache).doesNotContainKey("csc");
            assertThat(frontend.get("csc")).isEqualTo("second");
            frontend.close();
        } finally {
            client.shutdown();
        }
    }
}
