package dev.cellar.server;

import dev.cellar.core.testing.RespClient;
import java.io.IOException;

/** An in-process server on a free port, with the test-only commands, closed after the test. */
final class ServerFixture implements AutoCloseable {
    final Server server;

    private ServerFixture(Server server) {
        this.server = server;
    }

    /** Starts a server with {@code name value} settings over the defaults (port 0 = a free port). */
    static ServerFixture start(String... settings) throws InterruptedException {
        String[] all = new String[settings.length + 2];
        all[0] = "port";
        all[1] = "0";
        System.arraycopy(settings, 0, all, 2, settings.length);
        Server s = Server.create(TestCommands::register, all);
        s.start();
        return new ServerFixture(s);
    }

    int port() {
        return server.port();
    }

    RespClient client() throws IOException {
        return new RespClient("127.0.0.1", port());
    }

    @Override
    public void close() {
        server.stop();
    }
}
