/**
 * Cellar's network server: RESP2/RESP3 over Netty, client connections, {@code redis.conf}, and the
 * {@code main} that starts it like {@code redis-server}. Only {@link dev.cellar.server.Server} and
 * {@link dev.cellar.server.Main} are public surface; the protocol codec and logging are internal.
 */
module dev.cellar.server {
    requires dev.cellar.api;
    requires dev.cellar.core;
    requires org.slf4j;
    requires io.netty.common;
    requires io.netty.buffer;
    requires io.netty.transport;
    requires io.netty.transport.classes.epoll;
    requires jdk.unsupported;

    exports dev.cellar.server;

    uses dev.cellar.spi.persistence.PersistenceProvider;

    provides org.slf4j.spi.SLF4JServiceProvider with dev.cellar.server.log.CellarLogProvider;
}
