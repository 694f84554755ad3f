package dev.cellar.server;

import dev.cellar.core.engine.Session;

/** The engine session of a network client: it knows its connection, for the server's commands. */
public final class ClientSession extends Session {
    private final Connection connection;

    ClientSession(Connection connection) {
        this.connection = connection;
    }

    @Override
    public boolean isLocal() {
        // A TCP client from a loopback address, or any other kind of socket (a Unix socket).
        return !(connection.channel.remoteAddress() instanceof java.net.InetSocketAddress a)
                || a.getAddress() == null || a.getAddress().isLoopbackAddress();
    }

    /** The connection this session belongs to. */
    public Connection connection() {
        return connection;
    }
}
