package dev.cellar.server;

import dev.cellar.api.CellarConfig;
import dev.cellar.api.Reply;
import dev.cellar.core.CellarEngine;
import dev.cellar.core.engine.CommandFlag;
import dev.cellar.core.engine.CommandSpec;
import dev.cellar.core.engine.CommandTable;
import dev.cellar.core.engine.Engine;
import dev.cellar.core.engine.Settings;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The network server: listens, runs connections on Netty event loops, and serves every command of
 * the engine's table plus its own (CLIENT, INFO, Pub/Sub, ...), which it registers in the same
 * table so that one dispatcher serves all.
 *
 * <p>Life cycle: {@link #start()} binds and returns; {@link #stop()} stops accepting, lets the event
 * loops finish what they were given, closes connections and then the engine.
 */
public final class Server {
    private static final Logger LOG = LoggerFactory.getLogger(Server.class);
    /** The Redis version Cellar answers as (HELLO, INFO): clients adapt their behaviour to it. */
    public static final String REDIS_VERSION = "7.0.15";
    /** Cellar's own version. */
    public static final String VERSION = "0.1.0";
    /** Marks a command that has already written its replies (or answers nothing). */
    static final Reply NO_REPLY = dev.cellar.server.resp.RespEncoder.NO_REPLY;

    private final Settings settings;
    private final Path configFile;
    private final CellarEngine cellar;
    private final Engine engine;
    private final Execution execution;
    private final GroupCommit groupCommit;
    private final Map<Long, Connection> clients = new ConcurrentHashMap<>();
    final PubSub pubsub;
    final Slowlog slowlog = new Slowlog();
    final LatencyMonitor latency = new LatencyMonitor();
    private final OutputLimits outputLimits = new OutputLimits();
    private volatile boolean outputLimitsActive;
    private volatile String password;
    final List<Connection> monitors = new ArrayList<>();
    final long startMillis = System.currentTimeMillis();
    final long startNanos = System.nanoTime();
    final String runId = randomHex(40);
    final AtomicLong connectionsReceived = new AtomicLong();
    /** Bytes read from and written to clients (INFO's total_net_input_bytes, total_net_output_bytes). */
    final java.util.concurrent.atomic.LongAdder netInputBytes = new java.util.concurrent.atomic.LongAdder();
    final java.util.concurrent.atomic.LongAdder netOutputBytes = new java.util.concurrent.atomic.LongAdder();
    /** Client-side caching (CLIENT TRACKING). */
    final Tracking tracking = new Tracking(this);
    /** INFO's {@code total_reads_processed}: reads from client sockets (each buffer the event loop hands over). */
    final java.util.concurrent.atomic.LongAdder readsProcessed = new java.util.concurrent.atomic.LongAdder();
    /** INFO's {@code total_writes_processed}: writes of buffered replies to client sockets. */
    final java.util.concurrent.atomic.LongAdder writesProcessed = new java.util.concurrent.atomic.LongAdder();
    final InstantaneousMetrics metrics = new InstantaneousMetrics();
    final AtomicLong rejectedConnections = new AtomicLong();
    private volatile long slowlogSlowerThan;
    private volatile int slowlogMaxLen;
    private volatile long latencyThreshold;
    private volatile long maxBulkLength;
    volatile long pausedUntilMillis;
    volatile boolean pauseAll;

    private EventLoopGroup workers;
    private final List<Channel> listeners = new ArrayList<>();
    private int port;
    private final CountDownLatch terminated = new CountDownLatch(1);
    private volatile boolean stopping;
    private io.netty.util.concurrent.ScheduledFuture<?> cronTask;
    private io.netty.util.concurrent.ScheduledFuture<?> metricsTask;

    /**
     * A server over a settings registry already filled from the configuration; {@code extraCommands}
     * lets tests add commands (a blocking command before the list family exists, for example).
     */
    Server(Settings settings, Path configFile, Consumer<CommandTable> extraCommands) {
        this.settings = settings;
        this.configFile = configFile;
        this.pubsub = new PubSub(this);
        Settings.Param limits = settings.param("client-output-buffer-limit");
        outputLimits.apply(limits.value());
        outputLimitsActive = outputLimits.any();
        limits.onChange(v -> {
            outputLimits.apply(v);
            outputLimitsActive = outputLimits.any();
        });
        slowlogSlowerThan = settings.getLong("slowlog-log-slower-than");
        settings.param("slowlog-log-slower-than").onChange(v -> slowlogSlowerThan = Long.parseLong(v));
        slowlogMaxLen = settings.getInt("slowlog-max-len");
        settings.param("slowlog-max-len").onChange(v -> slowlogMaxLen = Integer.parseInt(v));
        latencyThreshold = settings.getLong("latency-monitor-threshold");
        settings.param("latency-monitor-threshold").onChange(v -> latencyThreshold = Long.parseLong(v));
        maxBulkLength = settings.getLong("proto-max-bulk-len");
        settings.param("proto-max-bulk-len").onChange(v -> maxBulkLength = Long.parseLong(v));
        password = settings.get("requirepass");
        settings.param("requirepass").onChange(v -> password = v);
        this.cellar = new CellarEngine(CellarConfig.defaults(), settings, table -> {
            ConnectionCommands.register(table, this);
            PubSubCommands.register(table, this);
            IntrospectionCommands.register(table, this);
            ConfigCommands.register(table, this);
            InfoCommands.register(table, this);
            SlowlogCommands.register(table, this);
            DebugCommands.register(table, this);
            extraCommands.accept(table);
        });
        this.engine = cellar.engine();
        engine.setClientTracking(tracking);
        engine.setKeyspaceListener(pubsub::keyspaceEvent);
        pubsub.setFlags(KeyspaceEvents.parse(settings.get("notify-keyspace-events")));
        settings.param("notify-keyspace-events").onChange(v -> pubsub.setFlags(KeyspaceEvents.parse(v)));
        this.groupCommit = new GroupCommit(cellar);
        this.execution = settings.get("cellar-execution").equals("owner-thread")
                ? new OwnerThreadExecution(cellar, groupCommit) : new EventLoopExecution(cellar, groupCommit);
    }

    /** A server configured by {@code name value} pairs over the defaults (for tests and embedding). */
    public static Server create(String... nameValues) {
        return create(table -> {}, nameValues);
    }

    /** Like {@link #create(String...)} with extra commands registered in the table. */
    public static Server create(Consumer<CommandTable> extraCommands, String... nameValues) {
        Settings s = ServerSettings.create();
        for (int i = 0; i + 1 < nameValues.length; i += 2) {
            String error = s.set(nameValues[i], nameValues[i + 1], true);
            if (error != null) {
                throw new IllegalArgumentException(nameValues[i] + ": " + error);
            }
        }
        return new Server(s, null, extraCommands);
    }

    // ------------------------------------------------------------------ life cycle

    /** Binds the listeners; returns when the server accepts connections. */
    public void start() throws InterruptedException {
        boolean epoll = Epoll.isAvailable();
        // Redis's io-threads (default 1) gives the number of event loops unless cellar-event-loops
        // says otherwise; see docs/architecture.md, "Thread model (server)".
        int loops = Integer.parseInt(settings.get("cellar-event-loops"));
        if (loops <= 0) {
            loops = (int) settings.getLong("io-threads");
        }
        workers = epoll ? new EpollEventLoopGroup(loops, named("cellar-io")) : new NioEventLoopGroup(loops, named("cellar-io"));
        Class<? extends ServerChannel> channelClass = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        // Connections are accepted on an event loop, as Redis accepts on its event loop: with one
        // loop a new client is registered where it is accepted, where a separate accept thread
        // handed every connection over (a wake-up each; see docs/performance.md, "Connection churn").
        ServerBootstrap b = new ServerBootstrap().group(workers).channel(channelClass)
                .option(ChannelOption.SO_BACKLOG, settings.getInt("tcp-backlog"))
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, settings.getInt("tcp-keepalive") > 0)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new Connection(Server.this));
                    }
                });
        int wanted = settings.getInt("port");
        for (String addr : settings.get("bind").trim().split("\\s+")) {
            boolean optional = addr.startsWith("-");
            String host = optional ? addr.substring(1) : addr;
            host = host.equals("*") ? "0.0.0.0" : host.equals("::*") ? "::" : host;
            try {
                Channel ch = b.bind(new InetSocketAddress(host, wanted == 0 && port != 0 ? port : wanted)).sync().channel();
                listeners.add(ch);
                if (port == 0) {
                    port = ((InetSocketAddress) ch.localAddress()).getPort();
                }
            } catch (Exception e) {
                if (!optional) {
                    shutdownGroups();
                    throw new IllegalStateException("Warning: Could not create server TCP listening socket " + host + ":"
                            + wanted + ": " + e.getMessage(), e);
                }
                LOG.warn("Could not bind optional address {}: {}", host, e.getMessage());
            }
        }
        int hz = Math.max(1, settings.getInt("hz"));
        cronTask = workers.next().scheduleAtFixedRate(this::clientsCron, 1000 / hz, 1000 / hz, TimeUnit.MILLISECONDS);
        long period = InstantaneousMetrics.PERIOD_MILLIS;
        metricsTask = workers.next().scheduleAtFixedRate(this::sampleMetrics, period, period, TimeUnit.MILLISECONDS);
        LOG.info("Server initialized, transport {}, {} event loops, execution on {}", epoll ? "epoll" : "nio", loops,
                settings.get("cellar-execution"));
    }

    private static java.util.concurrent.ThreadFactory named(String prefix) {
        return new io.netty.util.concurrent.DefaultThreadFactory(prefix, false);
    }

    /** The port the server listens on (the actual one when configured as 0). */
    public int port() {
        return port;
    }

    /** Stops the server: no new connections, accepted work finished, connections closed, engine closed. */
    public void stop() {
        if (stopping) {
            return;
        }
        stopping = true;
        try {
            for (Channel ch : listeners) {
                ch.close().syncUninterruptibly();
            }
            if (cronTask != null) {
                cronTask.cancel(false);
                metricsTask.cancel(false);
            }
            // Run what was accepted (the owner drains its queue), then write what is buffered and
            // close every client on its own event loop, then stop the loops and the engine.
            execution.shutdown();
            for (Connection c : clients.values()) {
                try {
                    c.onEventLoop(() -> {
                        c.flushNow();
                        c.kill();
                    });
                } catch (java.util.concurrent.RejectedExecutionException e) {
                    c.kill();
                }
            }
            shutdownGroups();
            cellar.close();
        } finally {
            terminated.countDown();
        }
    }

    private void shutdownGroups() {
        if (workers != null) {
            workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    /** Waits until the server has stopped. */
    public void awaitTermination() throws InterruptedException {
        terminated.await();
    }

    /** Asks for a stop from a command (SHUTDOWN): the stop runs on its own thread after the reply. */
    void requestShutdown() {
        Thread t = new Thread(this::stop, "cellar-shutdown");
        t.start();
    }

    // ------------------------------------------------------------------ accessors

    /** The settings registry (engine and server parameters). */
    public Settings settings() {
        return settings;
    }

    /** The engine. */
    public CellarEngine cellar() {
        return cellar;
    }

    Engine engine() {
        return engine;
    }

    Execution execution() {
        return execution;
    }

    /** The running batch's group commit (engine lock held). */
    GroupCommit groupCommit() {
        return groupCommit;
    }

    Path configFile() {
        return configFile;
    }

    OutputLimits outputLimits() {
        return outputLimits;
    }

    boolean outputLimitsApply(Connection c) {
        return outputLimitsActive;
    }

    long maxBulkLength() {
        return maxBulkLength;
    }

    boolean passwordRequired() {
        return !password.isEmpty();
    }

    String password() {
        return password;
    }

    Collection<Connection> clients() {
        return clients.values();
    }

    Connection client(long id) {
        return clients.get(id);
    }

    // ------------------------------------------------------------------ connections

    /** Registers a new connection; returns an error to send before closing it, or null. */
    String accept(Connection c) {
        connectionsReceived.incrementAndGet();
        if (stopping) {
            return "ERR Server is shutting down";
        }
        if (clients.size() >= settings.getLong("maxclients")) {
            rejectedConnections.incrementAndGet();
            return "ERR max number of clients reached";
        }
        if (settings.getBool("protected-mode") && password.isEmpty()
                && c.channel.remoteAddress() instanceof InetSocketAddress a && !a.getAddress().isLoopbackAddress()) {
            rejectedConnections.incrementAndGet();
            return "DENIED Redis is running in protected mode because protected mode is enabled and no password is "
                    + "set for the default user. In this mode connections are only accepted from the loopback "
                    + "interface. If you want to connect from external computers to Redis you may adopt one of the "
                    + "following solutions: 1) Just disable protected mode sending the command 'CONFIG SET "
                    + "protected-mode no' from the loopback interface; 2) Set a password for the default user; "
                    + "3) Bind an explicit address with the 'bind' directive.";
        }
        clients.put(c.id(), c);
        return null;
    }

    /** A connection went away: its blocking, WATCH, Pub/Sub and MONITOR state is released. */
    void disconnected(Connection c) {
        if (clients.remove(c.id()) == null) {
            return;
        }
        // Commands that arrived before the close still run, as in Redis, which executes what it read
        // before it sees the end of the stream (a client may send SHUTDOWN and hang up): the
        // clean-up runs after every batch the client submitted.
        Runnable cleanup = () -> cellar.withLock(() -> {
            c.runPending();
            c.closed = true;
            engine.sessionClosed(c.session);
            tracking.disable(c);
            pubsub.unsubscribeAll(c, false);
            monitors.remove(c);
            return null;
        });
        try {
            execution.afterPending(c, cleanup);
        } catch (RuntimeException e) {
            cleanup.run();
        }
    }

    /** Redis's serverCron samples for INFO's instantaneous_* figures (every 100 ms). */
    private void sampleMetrics() {
        if (tracking.clients() > 0) {
            // BCAST messages for keys changed outside a client's batch (active expiry, eviction)
            cellar.withLock(() -> {
                tracking.broadcast();
                return null;
            });
        }
        long now = System.currentTimeMillis();
        metrics.sample(InstantaneousMetrics.COMMANDS, engine.stats().commandsProcessed, now);
        metrics.sample(InstantaneousMetrics.NET_INPUT, netInputBytes.sum(), now);
        metrics.sample(InstantaneousMetrics.NET_OUTPUT, netOutputBytes.sum(), now);
    }

    /** Closes idle clients ({@code timeout}); runs on an event loop hz times a second. */
    private void clientsCron() {
        long timeout = settings.getLong("timeout");
        if (timeout <= 0) {
            return;
        }
        long now = System.currentTimeMillis();
        for (Connection c : clients.values()) {
            if (now - c.lastInteractionMillis > timeout * 1000 && !c.session.blocked() && !c.subscribed()
                    && !c.monitor) {
                LOG.debug("Closing idle client id={}", c.id());
                c.kill();
            }
        }
    }

    // ------------------------------------------------------------------ dispatch (engine lock held)

    /**
     * Runs one command for a connection: the checks that belong to a connection (authentication,
     * the RESP2 Pub/Sub context), then the engine's dispatcher, then MONITOR, SLOWLOG and latency.
     */
    Reply dispatch(Connection c, byte[][] argv) {
        CommandSpec spec = lookup(argv);
        if (spec != null) {
            if (!c.authenticated && !spec.has(CommandFlag.NO_AUTH)) {
                engine.stats().recordError("NOAUTH");
                return new Reply.Error("NOAUTH Authentication required.");
            }
            if (c.subscribed() && c.session.resp() == 2 && !spec.has(CommandFlag.PUBSUB_ALLOWED)) {
                engine.stats().recordError("ERR");
                return new Reply.Error("ERR Can't execute '" + spec.name() + "': only (P|S)SUBSCRIBE / "
                        + "(P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context");
            }
            c.lastCommand = spec.name();
        }
        if (!monitors.isEmpty() && spec != null && !spec.has(CommandFlag.SKIP_MONITOR) && !spec.has(CommandFlag.ADMIN)) {
            feedMonitors(c, argv);
        }
        Reply reply = engine.process(c.session, argv);
        if (spec != null && reply != dev.cellar.core.engine.Session.BLOCKED) {
            recordDuration(c, spec, argv, engine.processedMicros()); // a blocked one when served (Connection)
        }
        return reply;
    }

    /**
     * The slow log and the latency monitor for a command that ran: by {@link #dispatch}, or
     * (blocked first) when a write served it; {@code micros} is the engine's timing of its run.
     */
    void recordDuration(Connection c, CommandSpec spec, byte[][] argv, long micros) {
        long slower = slowlogSlowerThan;
        if (slower >= 0 && micros >= slower && !spec.has(CommandFlag.SKIP_SLOWLOG)) {
            slowlog.add(argv, micros, c, slowlogMaxLen);
        }
        long threshold = latencyThreshold;
        if (threshold > 0 && micros / 1000 >= threshold) {
            latency.add(spec.has(CommandFlag.FAST) ? "fast-command" : "command", micros / 1000);
        }
    }

    /** The command (or subcommand) an argv names, if it exists and the argument count fits; else null. */
    CommandSpec lookup(byte[][] argv) {
        CommandSpec spec = engine.commands().lookup(argv[0]);
        if (spec == null || !spec.arityAccepts(argv.length)) {
            return null;
        }
        spec = spec.forArgs(argv); // as the engine dispatches
        return spec == null || spec.handler() == null || !spec.arityAccepts(argv.length) ? null : spec;
    }

    private void feedMonitors(Connection c, byte[][] argv) {
        long now = System.currentTimeMillis();
        StringBuilder sb = new StringBuilder();
        sb.append(now / 1000).append('.').append(String.format("%06d", (now % 1000) * 1000 + (System.nanoTime() / 1000) % 1000))
                .append(" [").append(c.session.db()).append(' ').append(c.peer()).append(']');
        for (byte[] a : argv) {
            sb.append(' ').append(ConfigFile.quote(new String(a, java.nio.charset.StandardCharsets.ISO_8859_1)));
        }
        Reply line = new Reply.Simple(sb.toString());
        for (Connection m : monitors) {
            if (m != c) {
                m.push(line);
            }
        }
    }

    /** How long a command must wait for CLIENT PAUSE (0 when it may run). */
    long pausedFor(Connection c, byte[][] argv) {
        long until = pausedUntilMillis;
        if (until == 0) {
            return 0;
        }
        long now = System.currentTimeMillis();
        if (now >= until) {
            pausedUntilMillis = 0;
            return 0;
        }
        if (!pauseAll) {
            CommandSpec spec = lookup(argv);
            boolean write = spec != null && (spec.has(CommandFlag.WRITE)
                    || spec.shortName().equals("exec") || spec.shortName().equals("publish"));
            if (!write) {
                return 0;
            }
        }
        return until - now;
    }

    private static String randomHex(int n) {
        StringBuilder sb = new StringBuilder(n);
        // An identity, not a secret (Redis's run_id): no SecureRandom, whose providers cost ~20 ms of start-up.
        java.util.Random r = java.util.concurrent.ThreadLocalRandom.current();
        for (int i = 0; i < n; i++) {
            sb.append(Character.forDigit(r.nextInt(16), 16));
        }
        return sb.toString();
    }
}
