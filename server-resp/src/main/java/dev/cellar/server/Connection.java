package dev.cellar.server;

import dev.cellar.api.Reply;
import dev.cellar.core.engine.ByteKey;
import dev.cellar.core.engine.Session;
import dev.cellar.server.resp.RespDecoder;
import dev.cellar.server.resp.RespEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundBuffer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection (Redis's {@code client} struct): it decodes requests on its event loop,
 * hands them to the server's {@link Execution}, and gathers replies into one buffer that is
 * flushed once per batch.
 *
 * <p>Concurrency: the decoder and the read buffer belong to the event loop. The queue of commands
 * waiting to run and the client state that commands change (auth, subscriptions, reply mode) are
 * touched only by the thread executing commands while it holds the engine lock. The output buffer
 * is appended under the engine lock by whoever produces a reply (this client's commands, another
 * client's PUBLISH, the cron answering a blocked command), and taken by the event loop to write:
 * those two meet on the connection's monitor. Appending under the engine lock is what keeps
 * replies and pushed messages in the order the commands ran.
 *
 * <p>Group commit: while a batch runs ({@link GroupCommit}) output goes to a held buffer, not to
 * the one the event loop takes; the batch's end releases it, with the replies of commands that
 * wrote turned into the MISCONF error when the batch's writes could not be made durable.
 */
public final class Connection extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(Connection.class);
    /** First element of the pseudo-command that carries a protocol error to the executor, in order. */
    static final byte[] PROTOCOL_ERROR = new byte[0];

    final Server server;
    final ClientSession session;
    Channel channel;
    private final RespDecoder decoder;
    private ByteBuf cumulation;
    private List<byte[][]> decoded = new ArrayList<>();

    // ----- state of the executing thread (engine lock held)
    final ArrayDeque<byte[][]> pending = new ArrayDeque<>();
    /**
     * Tasks of this connection queued for or being finished by the owner thread
     * ({@code OwnerThreadExecution}); a batch may run inline only when this is zero.
     */
    final java.util.concurrent.atomic.AtomicInteger ownerTasks = new java.util.concurrent.atomic.AtomicInteger();
    volatile boolean authenticated;
    final Set<ByteKey> channels = new LinkedHashSet<>();
    final Set<ByteKey> patterns = new LinkedHashSet<>();
    /** Shard channels (SSUBSCRIBE); without a cluster they work as a namespace of their own. */
    final Set<ByteKey> shardChannels = new LinkedHashSet<>();
    boolean monitor;
    boolean replyOff;
    boolean skipNext;
    private boolean skipThis;
    boolean noEvict;
    boolean executing;
    // ----- CLIENT TRACKING (see Tracking)
    boolean tracking;
    boolean trackingBcast;
    boolean trackingOptin;
    boolean trackingOptout;
    boolean trackingNoloop;
    /** CLIENT CACHING was given for the next command (or transaction). */
    boolean trackingCaching;
    boolean trackingBrokenRedirect;
    /** The client the messages go to (CLIENT TRACKING REDIRECT), or 0. */
    long trackingRedirect;
    /** BCAST prefixes, in byte order (as CLIENT TRACKINGINFO lists them). */
    final java.util.TreeSet<ByteKey> trackingPrefixes =
            new java.util.TreeSet<>((a, b) -> java.util.Arrays.compareUnsigned(a.bytes(), b.bytes()));
    /** Invalidations for this client caused by the command it runs: sent after that command's reply. */
    final java.util.List<Reply> afterReply = new java.util.ArrayList<>();
    boolean closed;
    String lastCommand = "NULL";

    // ----- output
    private ByteBuf out;
    /** Output of the running batch, not yet durable; guarded by this monitor. */
    private ByteBuf held;
    /** Start and end offsets in {@link #held} of the replies of commands that wrote; this monitor. */
    private int[] wroteRanges = new int[8];
    private int wroteRangeCount;
    /** Whether the running batch has this connection in its release list (engine lock). */
    private boolean inBatch;
    private final AtomicBoolean flushScheduled = new AtomicBoolean();
    volatile boolean closeAfterReply;
    private long softLimitSince;

    final long createdMillis = System.currentTimeMillis();
    volatile long lastInteractionMillis = createdMillis;

    Connection(Server server) {
        this.server = server;
        this.session = new ClientSession(this);
        this.decoder = new RespDecoder(server.settings().getLong("proto-max-bulk-len"));
        this.authenticated = !server.passwordRequired();
        session.setReplyListener(this::lateReply);
    }

    /** The client id. */
    public long id() {
        return session.id();
    }

    /** The engine session. */
    public ClientSession session() {
        return session;
    }

    /** The peer address as {@code ip:port}. */
    public String peer() {
        return address(channel == null ? null : channel.remoteAddress());
    }

    /** The local address as {@code ip:port}. */
    public String local() {
        return address(channel == null ? null : channel.localAddress());
    }

    private static String address(java.net.SocketAddress a) {
        if (a instanceof InetSocketAddress i) {
            return i.getAddress().getHostAddress() + ":" + i.getPort();
        }
        return String.valueOf(a);
    }

    // ------------------------------------------------------------------ input (event loop)

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        channel = ctx.channel();
        String refusal = server.accept(this);
        if (refusal != null) {
            closeAfterReply = true;
            ByteBuf b = ctx.alloc().buffer();
            b.writeCharSequence("-" + refusal + "\r\n", StandardCharsets.UTF_8);
            ctx.writeAndFlush(b).addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf in = (ByteBuf) msg;
        server.netInputBytes.add(in.readableBytes());
        server.readsProcessed.increment();
        if (closeAfterReply || decoder.error() != null) {
            in.release();
            return;
        }
        if (cumulation == null) {
            cumulation = in;
        } else {
            try {
                cumulation.writeBytes(in);
            } finally {
                in.release();
            }
        }
        lastInteractionMillis = System.currentTimeMillis();
        decoder.setMaxBulkLength(server.maxBulkLength());
        decoder.setUnauthenticated(!authenticated);
        byte[][] argv;
        while ((argv = decoder.next(cumulation)) != null) {
            decoded.add(argv);
        }
        if (decoder.error() != null) {
            decoded.add(new byte[][] {PROTOCOL_ERROR, decoder.error().getBytes(StandardCharsets.UTF_8)});
            LOG.debug("Protocol error ({}) from client: id={} addr={}", decoder.error(), id(), peer());
            ctx.channel().config().setAutoRead(false);
            releaseInput();
        } else if (!cumulation.isReadable()) {
            releaseInput();
        } else if (cumulation.readableBytes() > server.settings().getLong("client-query-buffer-limit")) {
            LOG.warn("Closing client that reached max query buffer length: id={} addr={} (qbuf={})", id(), peer(),
                    cumulation.readableBytes());
            releaseInput();
            decoded.clear();
            ctx.close();
        } else {
            cumulation.discardSomeReadBytes();
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (!decoded.isEmpty()) {
            List<byte[][]> batch = decoded;
            decoded = new ArrayList<>();
            server.execution().submit(this, batch);
        }
    }

    private void releaseInput() {
        if (cumulation != null) {
            cumulation.release();
            cumulation = null;
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        releaseInput();
        server.disconnected(this);
        synchronized (this) {
            if (out != null) {
                out.release();
                out = null;
            }
            if (held != null) {
                held.release();
                held = null;
                wroteRangeCount = 0;
            }
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("Client id={} addr={} closed on error: {}", id(), peer(), cause.toString());
        ctx.close();
    }

    // ------------------------------------------------------------------ execution (engine lock held)

    /** Runs queued commands until none is left or the client blocks, pauses or must close. */
    void runPending() {
        GroupCommit batch = server.groupCommit();
        joinBatch(batch);
        executing = true;
        try {
            while (!pending.isEmpty() && !closed && !closeAfterReply && !session.blocked()) {
                byte[][] argv = pending.peek();
                if (argv[0] == PROTOCOL_ERROR) {
                    pending.clear();
                    server.engine().stats().recordError("ERR");
                    write(new Reply.Error(new String(argv[1], StandardCharsets.UTF_8)), false);
                    closeAfterReply = true;
                    break;
                }
                long pausedFor = server.pausedFor(this, argv);
                if (pausedFor > 0) {
                    channel.eventLoop().schedule(() -> server.execution().resume(this), pausedFor,
                            java.util.concurrent.TimeUnit.MILLISECONDS);
                    break;
                }
                pending.poll();
                skipThis = skipNext;
                skipNext = false;
                Reply r;
                batch.commandStarts();
                try {
                    r = server.dispatch(this, argv);
                } catch (RuntimeException | StackOverflowError e) {
                    // A bug in a command must cost that command, not the server or other clients.
                    LOG.warn("Command '{}' failed with an internal error", lastCommand, e);
                    r = new Reply.Error("ERR internal error: " + e);
                }
                if (r != Session.BLOCKED) {
                    reply(r, batch.commandWrote());
                }
                afterCommand(argv, batch.commandWrote());
            }
        } finally {
            executing = false;
        }
        server.tracking.broadcast();
    }

    /**
     * After a command's reply: the invalidations its own writes caused (Redis sends them after the
     * reply), and CLIENT CACHING's one-command effect ends (outside a transaction, unless the
     * command was CLIENT itself).
     */
    private void afterCommand(byte[][] argv, boolean wrote) {
        if (!afterReply.isEmpty()) {
            for (Reply m : afterReply) {
                write(m, wrote);
            }
            afterReply.clear();
        }
        if (trackingCaching && !session.inMulti()
                && !new String(argv[0], StandardCharsets.US_ASCII).equalsIgnoreCase("client")) {
            trackingCaching = false;
        }
    }

    /** A reply of this client's command, honouring CLIENT REPLY OFF|SKIP. */
    private void reply(Reply r, boolean wrote) {
        if (r == Server.NO_REPLY || replyOff || skipThis) {
            return;
        }
        write(r, wrote);
    }

    /** An out-of-band message (Pub/Sub, MONITOR, keyspace events); written whatever the reply mode. */
    void push(Reply r) {
        write(r, false);
    }

    /**
     * The reply of this client's blocked command. Served by another client's write in a batch, it
     * is part of that write (the element it pops is gone only if the write persists).
     */
    private void lateReply(Reply r) {
        dev.cellar.core.engine.Engine.Served served = server.engine().served();
        if (served != null) {
            server.recordDuration(this, served.spec(), served.argv(), served.micros());
        }
        GroupCommit batch = server.groupCommit();
        write(r, batch.open() && batch.commandWrote());
        try {
            server.execution().resume(this);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            LOG.debug("not resuming client id={}: shutting down", id());
        }
    }

    /**
     * Appends a reply. Inside a batch it is held until the batch is durable; {@code wrote} marks the
     * reply of a command that changed the data set, which becomes the error if that fails.
     */
    private void write(Reply r, boolean wrote) {
        if (closed) {
            return;
        }
        GroupCommit batch = server.groupCommit();
        boolean inBatchNow = batch.open();
        if (inBatchNow) {
            joinBatch(batch);
        }
        int size;
        synchronized (this) {
            if (inBatchNow) {
                if (held == null) {
                    held = channel.alloc().buffer(256);
                }
                int start = held.writerIndex();
                RespEncoder.encode(r, session.resp(), held);
                if (wrote) {
                    markWrote(start, held.writerIndex());
                }
                size = held.readableBytes() + (out == null ? 0 : out.readableBytes());
            } else {
                if (out == null) {
                    out = channel.alloc().buffer(256);
                }
                RespEncoder.encode(r, session.resp(), out);
                size = out.readableBytes();
            }
        }
        if (server.outputLimitsApply(this)) {
            checkOutputLimits(size);
        }
        if (!inBatchNow) {
            scheduleFlush();
        }
    }

    private void joinBatch(GroupCommit batch) {
        if (!inBatch && batch.open()) {
            inBatch = true;
            batch.hold(this);
        }
    }

    private void markWrote(int start, int end) {
        if (wroteRangeCount * 2 + 2 > wroteRanges.length) {
            wroteRanges = java.util.Arrays.copyOf(wroteRanges, wroteRanges.length * 2);
        }
        wroteRanges[wroteRangeCount * 2] = start;
        wroteRanges[wroteRangeCount * 2 + 1] = end;
        wroteRangeCount++;
    }

    /**
     * The batch ended: its held output becomes ready to write, with the replies of commands that
     * wrote replaced by {@code error} when it is not null (the writes are not acknowledged). The
     * caller holds the engine lock and flushes afterwards.
     */
    void release(String error) {
        inBatch = false;
        synchronized (this) {
            ByteBuf h = held;
            held = null;
            if (h == null) {
                wroteRangeCount = 0;
                return;
            }
            if (error != null && wroteRangeCount > 0) {
                h = replaceWrites(h, ("-" + error + "\r\n").getBytes(StandardCharsets.UTF_8));
            }
            wroteRangeCount = 0;
            if (out == null) {
                out = h;
            } else {
                out.writeBytes(h);
                h.release();
            }
        }
    }

    private ByteBuf replaceWrites(ByteBuf h, byte[] error) {
        LOG.debug("Client id={} addr={}: {} write replies not acknowledged", id(), peer(), wroteRangeCount);
        ByteBuf b = channel.alloc().buffer(h.readableBytes());
        int pos = h.readerIndex();
        for (int i = 0; i < wroteRangeCount; i++) {
            int start = wroteRanges[i * 2];
            b.writeBytes(h, pos, start - pos);
            b.writeBytes(error);
            pos = wroteRanges[i * 2 + 1];
        }
        b.writeBytes(h, pos, h.writerIndex() - pos);
        h.release();
        return b;
    }

    private void checkOutputLimits(int buffered) {
        ChannelOutboundBuffer ob = channel.unsafe().outboundBuffer();
        long used = buffered + (ob == null ? 0 : ob.totalPendingWriteBytes());
        OutputLimits.Limit limit = server.outputLimits().forClient(subscribed());
        boolean over = limit.hard() > 0 && used >= limit.hard();
        if (!over && limit.soft() > 0 && used >= limit.soft()) {
            long now = System.currentTimeMillis();
            if (softLimitSince == 0) {
                softLimitSince = now;
            } else if (now - softLimitSince >= limit.softSeconds() * 1000L) {
                over = true;
            }
        } else if (!over) {
            softLimitSince = 0;
        }
        if (over) {
            LOG.warn("Client id={} addr={} scheduled to be closed ASAP for overcoming of output buffer limits.",
                    id(), peer());
            closed = true;
            channel.close();
        }
    }

    /** Whether replies are waiting in the output buffer. */
    synchronized int outputBuffered() {
        return (out == null ? 0 : out.readableBytes()) + (held == null ? 0 : held.readableBytes());
    }

    // ------------------------------------------------------------------ output (event loop)

    /** Asks the event loop to write what is buffered. Any thread. */
    void scheduleFlush() {
        if (flushScheduled.compareAndSet(false, true)) {
            try {
                channel.eventLoop().execute(this::flushNow);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                flushScheduled.set(false); // shutting down: the connection is being closed anyway
            }
        }
    }

    /** Writes what is buffered, then closes the connection if a reply asked for that. Event loop. */
    void flushNow() {
        flushScheduled.set(false);
        ByteBuf b;
        synchronized (this) {
            b = out;
            out = null;
        }
        if (b != null) {
            server.netOutputBytes.add(b.readableBytes());
            server.writesProcessed.increment();
            if (closeAfterReply) {
                channel.writeAndFlush(b).addListener(ChannelFutureListener.CLOSE);
            } else {
                channel.writeAndFlush(b, channel.voidPromise());
            }
        } else if (closeAfterReply) {
            channel.close();
        }
    }

    /** Runs the connection's work on the event loop now if already there, else later. */
    void onEventLoop(Runnable r) {
        if (channel.eventLoop().inEventLoop()) {
            r.run();
        } else {
            channel.eventLoop().execute(r);
        }
    }

    /** Closes the connection after what is buffered has been written. */
    void closeAfterReply() {
        closeAfterReply = true;
    }

    /** Closes the connection now (CLIENT KILL, timeout). Any thread. */
    void kill() {
        channel.close();
    }

    /** Whether the client is subscribed to anything (RESP2 Pub/Sub mode). */
    boolean subscribed() {
        return !channels.isEmpty() || !patterns.isEmpty() || !shardChannels.isEmpty();
    }

    /** Whether a command of this client is running right now. */
    boolean executing() {
        return executing;
    }

    /** Bytes of the read buffer (CLIENT LIST qbuf). Event-loop data, read approximately. */
    /**
     * The memory this client holds, as CLIENT LIST's {@code tot-mem} and INFO's
     * {@code mem_clients_normal} count it: its query and output buffers plus a fixed 1 KB for the
     * connection itself (the read buffer Netty keeps for it).
     */
    long memory() {
        return queryBuffered() + outputBuffered() + 1024L;
    }

    int queryBuffered() {
        ByteBuf c = cumulation;
        try {
            return c == null ? 0 : c.readableBytes();
        } catch (RuntimeException e) {
            return 0;
        }
    }
}
