package dev.cellar.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cellar.api.Reply;
import dev.cellar.core.testing.RedisServerProcess;
import dev.cellar.core.testing.RespClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code CONFIG SET appendonly} over the wire: the replies and INFO fields of the sequence match
 * the real redis-server's, and the log written at run time is what a restart loads.
 */
class AppendonlySwitchTest {
    @TempDir
    Path dir;

    private static String info(RespClient c, String field) throws Exception {
        return PersistenceInfo.field(c, field);
    }

    private static void awaitRewrite(RespClient c) throws Exception {
        PersistenceInfo.awaitRewrite(c);
    }

    /** The sequence, with what each step answered (replies and INFO fields, not timings). */
    private static List<String> sequence(RespClient c) throws Exception {
        List<String> seen = new ArrayList<>();
        seen.add("set a " + c.call("SET", "a", "1"));
        seen.add("aof_enabled " + info(c, "aof_enabled"));
        seen.add("config set yes " + c.call("CONFIG", "SET", "appendonly", "yes"));
        seen.add("aof_enabled " + info(c, "aof_enabled"));
        awaitRewrite(c);
        seen.add("status " + info(c, "aof_last_bgrewrite_status"));
        seen.add("set b " + c.call("SET", "b", "2"));
        seen.add("config set maybe " + c.call("CONFIG", "SET", "appendonly", "maybe"));
        seen.add("config get " + c.call("CONFIG", "GET", "appendonly"));
        seen.add("config set yes again " + c.call("CONFIG", "SET", "appendonly", "yes"));
        seen.add("config set no " + c.call("CONFIG", "SET", "appendonly", "no"));
        seen.add("aof_enabled " + info(c, "aof_enabled"));
        seen.add("aof_rewrites " + info(c, "aof_rewrites"));
        seen.add("set c " + c.call("SET", "c", "3"));
        seen.add("config set yes " + c.call("CONFIG", "SET", "appendonly", "yes"));
        awaitRewrite(c);
        seen.add("aof_enabled " + info(c, "aof_enabled"));
        seen.add("aof_rewrites " + info(c, "aof_rewrites"));
        seen.add("set d " + c.call("SET", "d", "4"));
        return seen;
    }

    @Test
    @DisplayName("CONFIG SET appendonly yes, writes, then a restart with appendonly yes on the same dir finds the data; the replies match redis-server's")
    void runTimeLogSurvivesARestart() throws Exception {
        List<String> cellar;
        try (ServerFixture f = ServerFixture.start("dir", dir.toString(), "cellar-persistence", "rdb", "save", "");
             RespClient c = f.client()) {
            cellar = sequence(c);
        }
        assertThat(Files.readString(dir.resolve("appendonlydir/appendonly.aof.manifest")))
                .isEqualTo("file appendonly.aof.2.base.rdb seq 2 type b\nfile appendonly.aof.2.incr.aof seq 2 type i\n");
        try (ServerFixture f = ServerFixture.start("dir", dir.toString(), "cellar-persistence", "rdb", "save", "",
                "appendonly", "yes");
             RespClient c = f.client()) {
            assertThat(info(c, "aof_enabled")).isEqualTo("1");
            for (String[] kv : new String[][] {{"a", "1"}, {"b", "2"}, {"c", "3"}, {"d", "4"}}) {
                assertThat(c.call("GET", kv[0])).isEqualTo(new Reply.Bulk(kv[1].getBytes()));
            }
        }
        List<String> redis;
        try (RedisServerProcess server = RedisServerProcess.start(); RespClient c = server.client()) {
            redis = sequence(c);
        }
        assertThat(cellar).isEqualTo(redis);
    }

    @Test
    @DisplayName("a log that cannot start answers CONFIG SET with redis-server's error, and appendonly stays no")
    void failureMatchesRedis() throws Exception {
        Files.writeString(dir.resolve("appendonlydir"), "in the way");
        Reply cellar;
        String cellarValue;
        try (ServerFixture f = ServerFixture.start("dir", dir.toString(), "cellar-persistence", "rdb", "save", "");
             RespClient c = f.client()) {
            cellar = c.call("CONFIG", "SET", "appendonly", "yes");
            cellarValue = c.call("CONFIG", "GET", "appendonly").toString() + " " + info(c, "aof_enabled");
        }
        Reply redis;
        String redisValue;
        try (RedisServerProcess server = RedisServerProcess.start(); RespClient c = server.client()) {
            Files.writeString(server.dir().resolve("appendonlydir"), "in the way");
            redis = c.call("CONFIG", "SET", "appendonly", "yes");
            redisValue = c.call("CONFIG", "GET", "appendonly").toString() + " " + info(c, "aof_enabled");
        }
        assertThat(cellar).isEqualTo(redis).isInstanceOf(Reply.Error.class);
        assertThat(cellarValue).isEqualTo(redisValue);
    }
}
