package dev.cellar.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cellar.api.Reply;
import dev.cellar.core.testing.RedisServerProcess;
import dev.cellar.core.testing.RespClient;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * FLUSHALL and the snapshot, against a real redis-server: with save points, Redis saves the empty
 * data set at once (a restart must not bring the flushed keys back from the last dump.rdb) and
 * stops a running BGSAVE, whose end then changes no status; without save points it writes nothing.
 * The INFO fields each step leaves are compared, and the file each leaves is loaded again.
 */
@DisplayName("FLUSHALL saves the empty data set as Redis does")
class FlushallSaveDifferentialTest {
    @TempDir
    Path dir;

    private static String info(RespClient c, String field) throws Exception {
        return PersistenceInfo.field(c, field);
    }

    private static String state(RespClient c) throws Exception {
        return "changes " + info(c, "rdb_changes_since_last_save") + ", saves " + info(c, "rdb_saves")
                + ", bgsave status " + info(c, "rdb_last_bgsave_status");
    }

    private static void fill(RespClient c, String prefix, int n) throws Exception {
        List<String> argv = new ArrayList<>(List.of("MSET"));
        for (int i = 0; i < n; i++) {
            argv.add(prefix + i);
            argv.add("value-" + i);
        }
        assertThat(c.call(argv.toArray(String[]::new))).isEqualTo(Reply.OK);
    }

    private static void awaitNoBgsave(RespClient c) throws Exception {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (info(c, "rdb_bgsave_in_progress").equals("1")) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the BGSAVE did not end within 30 s");
            }
            Thread.sleep(10);
        }
    }

    /** The steps, with what each leaves (replies, INFO fields; LASTSAVE as whether it moved). */
    private static List<String> sequence(RespClient c) throws Exception {
        List<String> seen = new ArrayList<>();
        fill(c, "a:", 100);
        seen.add("save " + c.call("SAVE") + ", " + state(c));
        fill(c, "b:", 10);
        seen.add("after writes: " + state(c));
        seen.add("flushall " + c.call("FLUSHALL") + ", " + state(c));
        seen.add("flushall again " + c.call("FLUSHALL") + ", " + state(c));
        // a BGSAVE made slow (a pause after each key) is running when FLUSHALL comes
        fill(c, "c:", 2000);
        seen.add("delay " + c.call("CONFIG", "SET", "rdb-key-save-delay", "2000"));
        seen.add("bgsave " + c.call("BGSAVE"));
        seen.add("in progress " + info(c, "rdb_bgsave_in_progress"));
        seen.add("flushall during bgsave " + c.call("FLUSHALL"));
        awaitNoBgsave(c);
        seen.add("after the stopped bgsave: " + state(c) + ", dbsize " + c.call("DBSIZE"));
        seen.add("delay off " + c.call("CONFIG", "SET", "rdb-key-save-delay", "0"));
        // without save points FLUSHALL writes no file
        fill(c, "d:", 10);
        seen.add("save " + c.call("SAVE"));
        seen.add("no save points " + c.call("CONFIG", "SET", "save", ""));
        seen.add("flushall without save points " + c.call("FLUSHALL") + ", " + state(c));
        return seen;
    }

    @Test
    @DisplayName("FLUSHALL with save points writes the empty data set (stopping a running BGSAVE), without them nothing; the replies and INFO fields match redis-server's")
    void flushallSaves() throws Exception {
        List<String> cellar;
        try (ServerFixture f = ServerFixture.start("dir", dir.toString(), "cellar-persistence", "rdb");
                RespClient c = f.client()) {
            cellar = sequence(c);
        }
        List<String> redis;
        try (RedisServerProcess server = RedisServerProcess.start("--save", "3600 1 300 100 60 10000");
                RespClient c = server.client()) {
            redis = sequence(c);
        }
        assertThat(cellar).isEqualTo(redis);
        // the last file is the SAVE of the 10 d: keys (FLUSHALL without save points kept it)
        try (ServerFixture f = ServerFixture.start("dir", dir.toString(), "cellar-persistence", "rdb");
                RespClient c = f.client()) {
            assertThat(c.call("DBSIZE")).isEqualTo(new Reply.Int(10));
        }
        try (RedisServerProcess server = RedisServerProcess.startIn(dir, "--save", "");
                RespClient c = server.client()) {
            assertThat(c.call("DBSIZE")).isEqualTo(new Reply.Int(10));
        }
    }

    @Test
    @DisplayName("after FLUSHALL with save points a restart finds no key, as with redis-server")
    void restartAfterFlushallIsEmpty() throws Exception {
        try (ServerFixture f = ServerFixture.start("dir", dir.toString(), "cellar-persistence", "rdb");
                RespClient c = f.client()) {
            fill(c, "k:", 50);
            assertThat(c.call("SAVE")).isEqualTo(Reply.OK);
            assertThat(c.call("FLUSHALL")).isEqualTo(Reply.OK);
            // no save at close: the file on disk is what FLUSHALL left (a crash right after it)
            assertThat(c.call("CONFIG", "SET", "save", "")).isEqualTo(Reply.OK);
        }
        try (ServerFixture f = ServerFixture.start("dir", dir.toString(), "cellar-persistence", "rdb", "save", "");
                RespClient c = f.client()) {
            assertThat(c.call("DBSIZE")).isEqualTo(new Reply.Int(0));
        }
        // and redis-server reads Cellar's empty file as empty too
        try (RedisServerProcess server = RedisServerProcess.startIn(dir, "--save", "");
                RespClient c = server.client()) {
            assertThat(c.call("DBSIZE")).isEqualTo(new Reply.Int(0));
        }
    }
}
