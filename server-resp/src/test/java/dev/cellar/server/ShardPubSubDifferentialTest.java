package dev.cellar.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cellar.api.Reply;
import dev.cellar.core.testing.RespClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sharded Pub/Sub (SSUBSCRIBE, SUNSUBSCRIBE, SPUBLISH, PUBSUB SHARDCHANNELS/SHARDNUMSUB) beside a
 * real redis-server without a cluster: the same confirmations, counts and messages, the shard
 * channels a namespace apart from the plain ones.
 */
@DisplayName("sharded Pub/Sub against redis-server")
class ShardPubSubDifferentialTest {

    /** What a subscriber and a publisher see for the same steps; the subscriber's replies are read as they come. */
    private static List<String> session(SideBySide both, boolean redis) throws Exception {
        int port = redis ? both.redisServer.port() : both.cellarServer.port();
        List<String> seen = new ArrayList<>();
        try (RespClient sub = new RespClient("127.0.0.1", port); RespClient pub = new RespClient("127.0.0.1", port)) {
            sub.send(b("SSUBSCRIBE"), b("news"), b("sport"));
            seen.add(sub.read().toString());
            seen.add(sub.read().toString());
            sub.send(b("SUBSCRIBE"), b("news"));
            seen.add(sub.read().toString());
            seen.add(pub.call("SPUBLISH", "news", "shard hello").toString());
            seen.add(sub.read().toString());
            seen.add(pub.call("PUBLISH", "news", "plain hello").toString());
            seen.add(sub.read().toString());
            seen.add(pub.call("SPUBLISH", "nobody", "x").toString());
            seen.add(sorted(pub.call("PUBSUB", "SHARDCHANNELS"))); // in the dictionary's order in Redis
            seen.add(pub.call("PUBSUB", "SHARDCHANNELS", "s*").toString());
            seen.add(pub.call("PUBSUB", "SHARDNUMSUB", "news", "sport", "none").toString());
            seen.add(pub.call("PUBSUB", "NUMSUB", "news", "sport").toString());
            seen.add(pub.call("PUBSUB", "CHANNELS").toString());
            seen.add(pub.call("PUBSUB", "shardchannels", "a", "b").toString());
            sub.send(b("SUNSUBSCRIBE"), b("sport"), b("never"));
            seen.add(sub.read().toString());
            seen.add(sub.read().toString());
            sub.send(b("SUNSUBSCRIBE"));
            seen.add(sub.read().toString());
            sub.send(b("SUNSUBSCRIBE"));
            seen.add(sub.read().toString());
            sub.send(b("PING"));
            seen.add(sub.read().toString()); // still subscribed to a plain channel: RESP2's pong
            seen.add(pub.call("SPUBLISH", "news", "after").toString());
            seen.add(pub.call("COMMAND", "GETKEYS", "SSUBSCRIBE", "a", "b").toString());
        }
        return seen;
    }

    private static String sorted(Reply array) {
        List<String> names = new ArrayList<>();
        for (Reply r : ((Reply.Array) array).items()) {
            names.add(((Reply.Bulk) r).text());
        }
        java.util.Collections.sort(names);
        return names.toString();
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void sameConfirmationsCountsAndMessages(@TempDir Path dir) throws Exception {
        try (SideBySide both = SideBySide.start(dir)) {
            List<String> expected = session(both, true);
            assertThat(expected.get(4)).contains("smessage");
            assertThat(session(both, false)).containsExactlyElementsOf(expected);
            assertThat(both.cellar.call("INFO", "stats")).asString().contains("pubsubshard_channels:0");
        }
    }
}
