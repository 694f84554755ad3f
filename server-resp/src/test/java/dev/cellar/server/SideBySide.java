package dev.cellar.server;

import dev.cellar.core.testing.RedisServerProcess;
import dev.cellar.core.testing.RespClient;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A real redis-server (persistence off, as {@link RedisServerProcess#start} starts it) and an
 * in-process Cellar server with its directory in {@code dir}, each with a client: the differential
 * tests' usual pair, closed together.
 */
final class SideBySide implements AutoCloseable {
    final RedisServerProcess redisServer;
    final ServerFixture cellarServer;
    /** A client of redis-server. */
    final RespClient redis;
    /** A client of Cellar. */
    final RespClient cellar;

    private SideBySide(RedisServerProcess redisServer, ServerFixture cellarServer) throws IOException {
        this.redisServer = redisServer;
        this.cellarServer = cellarServer;
        this.redis = redisServer.client();
        this.cellar = cellarServer.client();
    }

    /** Starts both; {@code cellarSettings} are {@code name value} pairs over Cellar's defaults. */
    static SideBySide start(Path dir, String... cellarSettings) throws IOException, InterruptedException {
        RedisServerProcess redis = RedisServerProcess.start();
        String[] settings = new String[cellarSettings.length + 2];
        settings[0] = "dir";
        settings[1] = dir.toString();
        System.arraycopy(cellarSettings, 0, settings, 2, cellarSettings.length);
        try {
            return new SideBySide(redis, ServerFixture.start(settings));
        } catch (IOException | InterruptedException | RuntimeException e) {
            redis.close();
            throw e;
        }
    }

    /** Both clients, redis-server's first. */
    List<RespClient> clients() {
        return List.of(redis, cellar);
    }

    @Override
    public void close() throws IOException {
        try {
            redis.close();
            cellar.close();
        } finally {
            cellarServer.close();
            redisServer.close();
        }
    }
}
