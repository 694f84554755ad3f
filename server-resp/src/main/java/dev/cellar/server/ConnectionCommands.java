package dev.cellar.server;

import dev.cellar.api.Reply;
import dev.cellar.core.engine.Args;
import dev.cellar.core.engine.ByteKey;
import dev.cellar.core.engine.CommandError;
import dev.cellar.core.engine.CommandTable;
import dev.cellar.core.engine.Ctx;
import dev.cellar.core.engine.Errors;
import dev.cellar.core.engine.Session;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Connection commands (Redis's {@code networking.c} and the connection group): PING, QUIT, RESET,
 * HELLO, AUTH and CLIENT. ECHO and SELECT are the engine's own.
 */
final class ConnectionCommands {
    static final String NOAUTH_HELLO = "NOAUTH HELLO must be called with the client already authenticated, "
            + "otherwise the HELLO <proto> AUTH <user> <pass> option can be used to authenticate the client and "
            + "select the RESP protocol version at the same time";
    static final String WRONGPASS = "WRONGPASS invalid username-password pair or user is disabled.";
    static final String AUTH_WITHOUT_PASSWORD = "ERR AUTH <password> called without any password configured for "
            + "the default user. Are you sure your configuration is correct?";
    static final String BAD_NAME = "ERR Client names cannot contain spaces, newlines or special characters.";

    private ConnectionCommands() {}

    static void register(CommandTable t, Server server) {
        t.add("ping", -1, "fast pubsub_allowed", 0, 0, 0, "connection", ConnectionCommands::ping);
        t.add("quit", -1, "noscript loading stale fast no_auth allow_busy pubsub_allowed", 0, 0, 0, "connection",
                ctx -> {
                    conn(ctx).closeAfterReply();
                    return Reply.OK;
                });
        t.add("reset", 1, "noscript loading stale fast no_auth allow_busy pubsub_allowed", 0, 0, 0, "connection",
                ctx -> reset(ctx, server));
        t.add("hello", -1, "noscript loading stale fast no_auth allow_busy", 0, 0, 0, "connection",
                ctx -> hello(ctx, server));
        t.add("auth", -2, "noscript loading stale fast no_auth allow_busy", 0, 0, 0, "connection",
                ctx -> auth(ctx, server));
        t.add("shutdown", -1, "admin noscript loading stale no_multi allow_busy", 0, 0, 0, "server",
                ctx -> shutdown(ctx, server));

        t.container("client", -2, "", "connection");
        t.sub("client", "id", 2, "noscript loading stale", 0, 0, 0, ctx -> Reply.of(ctx.session().id()));
        t.sub("client", "getname", 2, "noscript loading stale", 0, 0, 0,
                ctx -> ctx.session().name() == null ? Reply.NULL : Reply.bulk(ctx.session().name()));
        t.sub("client", "setname", 3, "noscript loading stale", 0, 0, 0, ctx -> {
            String name = Args.text(ctx.arg(2));
            checkName(name);
            ctx.session().setName(name.isEmpty() ? null : name);
            return Reply.OK;
        });
        t.sub("client", "list", -2, "admin noscript loading stale", 0, 0, 0, ctx -> clientList(ctx, server));
        t.sub("client", "info", 2, "noscript loading stale", 0, 0, 0,
                ctx -> Reply.bulk(describe(conn(ctx)) + "\n"));
        t.sub("client", "kill", -3, "admin noscript loading stale", 0, 0, 0, ctx -> clientKill(ctx, server));
        t.sub("client", "pause", -3, "admin noscript loading stale", 0, 0, 0, ctx -> clientPause(ctx, server));
        t.sub("client", "unpause", 2, "admin noscript loading stale", 0, 0, 0, ctx -> {
            server.pausedUntilMillis = 0;
            for (Connection c : server.clients()) {
                server.execution().resume(c);
            }
            return Reply.OK;
        });
        t.sub("client", "reply", 3, "noscript loading stale", 0, 0, 0, ConnectionCommands::clientReply);
        t.sub("client", "no-evict", 3, "admin noscript loading stale", 0, 0, 0, ctx -> {
            conn(ctx).noEvict = onOff(ctx.arg(2));
            return Reply.OK;
        });
        t.sub("client", "unblock", -3, "admin noscript loading stale", 0, 0, 0, ctx -> clientUnblock(ctx, server));
        t.sub("client", "getredir", 2, "noscript loading stale", 0, 0, 0, ctx -> {
            Connection c = conn(ctx);
            return Reply.of(c.tracking ? c.trackingRedirect : -1);
        });
        t.sub("client", "tracking", -3, "noscript loading stale", 0, 0, 0, ctx -> tracking(ctx, server));
        t.sub("client", "caching", 3, "noscript loading stale", 0, 0, 0, ConnectionCommands::caching);
        t.sub("client", "trackinginfo", 2, "noscript loading stale", 0, 0, 0, ConnectionCommands::trackingInfo);
        // Redis 7.0's words and order
        t.sub("client", "help", 2, "loading stale", 0, 0, 0, ctx -> help("CLIENT", List.of(
                "CACHING (YES|NO)", "    Enable/disable tracking of the keys for next command in OPTIN/OPTOUT modes.",
                "GETREDIR", "    Return the client ID we are redirecting to when tracking is enabled.",
                "GETNAME", "    Return the name of the current connection.",
                "ID", "    Return the ID of the current connection.",
                "INFO", "    Return information about the current client connection.",
                "KILL <ip:port>", "    Kill connection made from <ip:port>.",
                "KILL <option> <value> [<option> <value> [...]]", "    Kill connections. Options are:",
                "    * ADDR (<ip:port>|<unixsocket>:0)", "      Kill connections made from the specified address",
                "    * LADDR (<ip:port>|<unixsocket>:0)", "      Kill connections made to specified local address",
                "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)", "      Kill connections by type.",
                "    * USER <username>", "      Kill connections authenticated by <username>.",
                "    * SKIPME (YES|NO)", "      Skip killing current connection (default: yes).",
                "LIST [options ...]", "    Return information about client connections. Options:",
                "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)", "      Return clients of specified type.",
                "UNPAUSE", "    Stop the current client pause, resuming traffic.",
                "PAUSE <timeout> [WRITE|ALL]", "    Suspend all, or just write, clients for <timeout> milliseconds.",
                "REPLY (ON|OFF|SKIP)", "    Control the replies sent to the current connection.",
                "SETNAME <name>", "    Assign the name <name> to the current connection.",
                "UNBLOCK <clientid> [TIMEOUT|ERROR]", "    Unblock the specified blocked client.",
                "TRACKING (ON|OFF) [REDIRECT <id>] [BCAST] [PREFIX <prefix> [...]]",
                "         [OPTIN] [OPTOUT] [NOLOOP]",
                "    Control server assisted client side caching.",
                "TRACKINGINFO", "    Report tracking status for the current connection.",
                "NO-EVICT (ON|OFF)", "    Protect current client connection from eviction.")));
    }

    // CLIENT TRACKING ON|OFF [REDIRECT id] [PREFIX p ...] [BCAST] [OPTIN] [OPTOUT] [NOLOOP]
    static Reply tracking(Ctx ctx, Server server) {
        Connection c = conn(ctx);
        long redirect = 0;
        boolean bcast = false;
        boolean optin = false;
        boolean optout = false;
        boolean noloop = false;
        List<byte[]> prefixes = new ArrayList<>();
        for (int j = 3; j < ctx.argc(); j++) {
            boolean more = j < ctx.argc() - 1;
            String opt = Args.lower(ctx.arg(j));
            if (opt.equals("redirect") && more) {
                j++;
                if (redirect != 0) {
                    return Reply.error("ERR A client can only redirect to a single other client");
                }
                redirect = Args.parseLong(ctx.arg(j), Errors.NOT_INTEGER);
                if (server.client(redirect) == null) {
                    return Reply.error("ERR The client ID you want redirect to does not exist");
                }
            } else if (opt.equals("bcast")) {
                bcast = true;
            } else if (opt.equals("optin")) {
                optin = true;
            } else if (opt.equals("optout")) {
                optout = true;
            } else if (opt.equals("noloop")) {
                noloop = true;
            } else if (opt.equals("prefix") && more) {
                prefixes.add(ctx.arg(++j));
            } else {
                return Reply.error(Errors.SYNTAX);
            }
        }
        String onOff = Args.lower(ctx.arg(2));
        if (onOff.equals("on")) {
            if (!bcast && !prefixes.isEmpty()) {
                return Reply.error("ERR PREFIX option requires BCAST mode to be enabled");
            }
            if (c.tracking && c.trackingBcast != bcast) {
                return Reply.error("ERR You can't switch BCAST mode on/off before disabling tracking for this client, "
                        + "and then re-enabling it with a different mode.");
            }
            if (bcast && (optin || optout)) {
                return Reply.error("ERR OPTIN and OPTOUT are not compatible with BCAST");
            }
            if (optin && optout) {
                return Reply.error("ERR You can't specify both OPTIN mode and OPTOUT mode");
            }
            if ((optin && c.trackingOptout) || (optout && c.trackingOptin)) {
                return Reply.error("ERR You can't switch OPTIN/OPTOUT mode before disabling tracking for this client, "
                        + "and then re-enabling it with a different mode.");
            }
            if (bcast) {
                String collision = Tracking.prefixCollision(c, prefixes);
                if (collision != null) {
                    return Reply.error(collision);
                }
            }
            server.tracking.enable(c, redirect, bcast, optin, optout, noloop, prefixes);
        } else if (onOff.equals("off")) {
            server.tracking.disable(c);
        } else {
            return Reply.error(Errors.SYNTAX);
        }
        return Reply.OK;
    }

    // CLIENT CACHING YES|NO
    static Reply caching(Ctx ctx) {
        Connection c = conn(ctx);
        if (!c.tracking) {
            return Reply.error("ERR CLIENT CACHING can be called only when the client is in tracking mode with OPTIN "
                    + "or OPTOUT mode enabled");
        }
        String opt = Args.lower(ctx.arg(2));
        if (opt.equals("yes")) {
            if (!c.trackingOptin) {
                return Reply.error("ERR CLIENT CACHING YES is only valid when tracking is enabled in OPTIN mode.");
            }
        } else if (opt.equals("no")) {
            if (!c.trackingOptout) {
                return Reply.error("ERR CLIENT CACHING NO is only valid when tracking is enabled in OPTOUT mode.");
            }
        } else {
            return Reply.error(Errors.SYNTAX);
        }
        c.trackingCaching = true;
        return Reply.OK;
    }

    // CLIENT TRACKINGINFO
    static Reply trackingInfo(Ctx ctx) {
        Connection c = conn(ctx);
        List<Reply> flags = new ArrayList<>();
        flags.add(Reply.bulk(c.tracking ? "on" : "off"));
        if (c.trackingBcast) {
            flags.add(Reply.bulk("bcast"));
        }
        if (c.trackingOptin) {
            flags.add(Reply.bulk("optin"));
            if (c.trackingCaching) {
                flags.add(Reply.bulk("caching-yes"));
            }
        }
        if (c.trackingOptout) {
            flags.add(Reply.bulk("optout"));
            if (c.trackingCaching) {
                flags.add(Reply.bulk("caching-no"));
            }
        }
        if (c.trackingNoloop) {
            flags.add(Reply.bulk("noloop"));
        }
        if (c.trackingBrokenRedirect) {
            flags.add(Reply.bulk("broken_redirect"));
        }
        List<Reply> prefixes = new ArrayList<>();
        for (ByteKey p : c.trackingPrefixes) {
            prefixes.add(Reply.bulk(p.bytes()));
        }
        return new Reply.MapReply(List.of(Reply.bulk("flags"), new Reply.SetReply(flags),
                Reply.bulk("redirect"), Reply.of(c.tracking ? c.trackingRedirect : -1),
                Reply.bulk("prefixes"), Reply.array(prefixes)));
    }

    static Connection conn(Ctx ctx) {
        return ((ClientSession) ctx.session()).connection();
    }

    static Reply help(String command, List<String> lines) {
        List<Reply> out = new ArrayList<>();
        out.add(new Reply.Simple(command + " <subcommand> [<arg> [value] [opt] ...]. Subcommands are:"));
        for (String l : lines) {
            out.add(new Reply.Simple(l));
        }
        out.add(new Reply.Simple("HELP"));
        out.add(new Reply.Simple("    Prints this help."));
        return Reply.array(out);
    }

    // PING [message]
    static Reply ping(Ctx ctx) {
        if (ctx.argc() > 2) {
            throw new CommandError(Errors.arity("ping"));
        }
        Connection c = conn(ctx);
        if (c.subscribed() && ctx.session().resp() == 2) {
            return Reply.array(List.of(Reply.bulk("pong"), ctx.argc() == 1 ? Reply.bulk("") : Reply.bulk(ctx.arg(1))));
        }
        return ctx.argc() == 1 ? new Reply.Simple("PONG") : Reply.bulk(ctx.arg(1));
    }

    // RESET
    static Reply reset(Ctx ctx, Server server) {
        Connection c = conn(ctx);
        Session s = ctx.session();
        server.engine().sessionClosed(s);
        if (s.inMulti()) {
            server.engine().process(s, new byte[][] {Args.bytes("DISCARD")});
        }
        server.pubsub.unsubscribeAll(c, false);
        server.tracking.disable(c);
        server.monitors.remove(c);
        c.monitor = false;
        s.selectDb(0);
        s.setResp(2);
        s.setName(null);
        c.replyOff = false;
        c.skipNext = false;
        c.noEvict = false;
        c.authenticated = !server.passwordRequired();
        return new Reply.Simple("RESET");
    }

    // HELLO [protover [AUTH username password] [SETNAME clientname]]
    static Reply hello(Ctx ctx, Server server) {
        Connection c = conn(ctx);
        int version = ctx.session().resp();
        if (ctx.argc() >= 2) {
            long v;
            try {
                v = Args.parseLong(ctx.arg(1));
            } catch (CommandError e) {
                return Reply.error("ERR Protocol version is not an integer or out of range");
            }
            if (v < 2 || v > 3) {
                return Reply.error("NOPROTO unsupported protocol version");
            }
            version = (int) v;
        }
        String user = null;
        String pass = null;
        String name = null;
        for (int i = 2; i < ctx.argc(); i++) {
            int more = ctx.argc() - i - 1;
            if (ctx.is(i, "AUTH") && more >= 2) {
                user = Args.text(ctx.arg(i + 1));
                pass = Args.text(ctx.arg(i + 2));
                i += 2;
            } else if (ctx.is(i, "SETNAME") && more >= 1) {
                name = Args.text(ctx.arg(i + 1));
                i += 1;
            } else {
                return Reply.error("ERR Syntax error in HELLO option '" + Args.text(ctx.arg(i)) + "'");
            }
        }
        if (user != null) {
            if (!checkPassword(server, user, pass)) {
                return Reply.error(WRONGPASS);
            }
            c.authenticated = true;
        }
        if (!c.authenticated) {
            return Reply.error(NOAUTH_HELLO);
        }
        if (name != null) {
            checkName(name);
            ctx.session().setName(name.isEmpty() ? null : name);
        }
        ctx.session().setResp(version);
        return new Reply.MapReply(List.of(
                Reply.bulk("server"), Reply.bulk("redis"),
                Reply.bulk("version"), Reply.bulk(Server.REDIS_VERSION),
                Reply.bulk("proto"), Reply.of(version),
                Reply.bulk("id"), Reply.of(ctx.session().id()),
                Reply.bulk("mode"), Reply.bulk("standalone"),
                Reply.bulk("role"), Reply.bulk("master"),
                Reply.bulk("modules"), Reply.EMPTY_ARRAY));
    }

    // AUTH [username] password
    static Reply auth(Ctx ctx, Server server) {
        if (ctx.argc() > 3) {
            throw new CommandError(Errors.SYNTAX);
        }
        String user = ctx.argc() == 3 ? Args.text(ctx.arg(1)) : "default";
        String pass = Args.text(ctx.arg(ctx.argc() - 1));
        if (ctx.argc() == 2 && !server.passwordRequired()) {
            return Reply.error(AUTH_WITHOUT_PASSWORD);
        }
        if (!checkPassword(server, user, pass)) {
            return Reply.error(WRONGPASS);
        }
        conn(ctx).authenticated = true;
        return Reply.OK;
    }

    private static boolean checkPassword(Server server, String user, String pass) {
        if (!user.equals("default")) {
            return false;
        }
        return !server.passwordRequired() || java.security.MessageDigest.isEqual(
                server.password().getBytes(StandardCharsets.UTF_8), pass.getBytes(StandardCharsets.UTF_8));
    }

    // SHUTDOWN [NOSAVE|SAVE] [NOW] [FORCE] [ABORT]
    static Reply shutdown(Ctx ctx, Server server) {
        Boolean save = null;
        boolean force = false;
        boolean abort = false;
        boolean anyFlag = false;
        boolean saveAndNosave = false;
        for (int i = 1; i < ctx.argc(); i++) {
            String opt = Args.lower(ctx.arg(i));
            if (!List.of("nosave", "save", "now", "force", "abort").contains(opt)) {
                throw new CommandError(Errors.SYNTAX);
            }
            if (opt.equals("abort")) {
                abort = true;
                continue;
            }
            anyFlag = true;
            if (opt.equals("nosave") || opt.equals("save")) {
                saveAndNosave |= save != null && save != opt.equals("save");
                save = opt.equals("save");
            }
            force |= opt.equals("force");
        }
        // As Redis: ABORT with any other flag, or SAVE with NOSAVE, is a syntax error (not a shutdown).
        if ((abort && anyFlag) || saveAndNosave) {
            throw new CommandError(Errors.SYNTAX);
        }
        if (abort) {
            return Reply.error("ERR No shutdown in progress.");
        }
        org.slf4j.LoggerFactory.getLogger(Server.class).warn("User requested shutdown...");
        // Save first when save points exist (or SAVE was given); a failed save keeps the server up
        // unless FORCE, as Redis does.
        String error = server.cellar().shutdownSave(save);
        if (error != null && !force) {
            return Reply.error(error);
        }
        conn(ctx).closeAfterReply();
        server.requestShutdown();
        return Server.NO_REPLY;
    }

    private static void checkName(String name) {
        for (char ch : name.toCharArray()) {
            if (ch < '!' || ch > '~') {
                throw new CommandError(BAD_NAME);
            }
        }
    }

    private static boolean onOff(byte[] arg) {
        if (Args.is(arg, "on")) {
            return true;
        }
        if (Args.is(arg, "off")) {
            return false;
        }
        throw new CommandError(Errors.SYNTAX);
    }

    // CLIENT REPLY ON|OFF|SKIP
    static Reply clientReply(Ctx ctx) {
        Connection c = conn(ctx);
        if (ctx.is(2, "on")) {
            c.replyOff = false;
            c.skipNext = false;
            return Reply.OK;
        }
        if (ctx.is(2, "off")) {
            c.replyOff = true;
            return Server.NO_REPLY;
        }
        if (ctx.is(2, "skip")) {
            if (!c.replyOff) {
                c.skipNext = true;
            }
            return Server.NO_REPLY;
        }
        throw new CommandError(Errors.SYNTAX);
    }

    /** One line of CLIENT LIST, with Redis 7.0's fields. */
    static String describe(Connection c) {
        long now = System.currentTimeMillis();
        Session s = c.session;
        StringBuilder flags = new StringBuilder();
        if (s.inMulti()) {
            flags.append('x');
        }
        if (s.blocked()) {
            flags.append('b');
        }
        if (c.subscribed()) {
            flags.append('P');
        }
        if (c.monitor) {
            flags.append('O');
        }
        if (c.noEvict) {
            flags.append('e');
        }
        if (flags.length() == 0) {
            flags.append('N');
        }
        int qbuf = c.queryBuffered();
        int obuf = c.outputBuffered();
        return "id=" + c.id() + " addr=" + c.peer() + " laddr=" + c.local() + " fd=8 name="
                + (s.name() == null ? "" : s.name()) + " age=" + (now - c.createdMillis) / 1000 + " idle="
                + (now - c.lastInteractionMillis) / 1000 + " flags=" + flags + " db=" + s.db() + " sub="
                + c.channels.size() + " psub=" + c.patterns.size() + " ssub=" + c.shardChannels.size() + " multi=" + (s.inMulti() ? 0 : -1)
                + " qbuf=" + qbuf + " qbuf-free=0 argv-mem=0 multi-mem=0 rbs=1024 rbp=0 obl=" + obuf + " oll=0 omem="
                + obuf + " tot-mem=" + c.memory() + " events=r cmd=" + c.lastCommand
                + " user=default redir=-1 resp=" + s.resp();
    }

    // CLIENT LIST [TYPE normal|master|replica|pubsub] [ID client-id ...]
    static Reply clientList(Ctx ctx, Server server) {
        String type = null;
        List<Long> ids = null;
        for (int i = 2; i < ctx.argc(); i++) {
            if (ctx.is(i, "type") && i + 1 < ctx.argc()) {
                type = Args.lower(ctx.arg(++i));
                if (!List.of("normal", "master", "replica", "slave", "pubsub").contains(type)) {
                    return Reply.error("ERR Unknown client type '" + Args.text(ctx.arg(i)) + "'");
                }
            } else if (ctx.is(i, "id") && i + 1 < ctx.argc()) {
                ids = new ArrayList<>();
                for (i++; i < ctx.argc(); i++) {
                    long id;
                    try {
                        id = Args.parseLong(ctx.arg(i));
                    } catch (CommandError e) {
                        return Reply.error("ERR Invalid client ID");
                    }
                    if (id <= 0) {
                        return Reply.error("ERR Invalid client ID");
                    }
                    ids.add(id);
                }
            } else {
                throw new CommandError(Errors.SYNTAX);
            }
        }
        List<Connection> all = new ArrayList<>(server.clients());
        all.sort((a, b) -> Long.compare(a.id(), b.id()));
        StringBuilder sb = new StringBuilder();
        for (Connection c : all) {
            if (ids != null && !ids.contains(c.id())) {
                continue;
            }
            if (type != null && !(type.equals("pubsub") ? c.subscribed() : type.equals("normal") && !c.subscribed())) {
                continue;
            }
            sb.append(describe(c)).append('\n');
        }
        return Reply.bulk(sb.toString());
    }

    // CLIENT KILL ip:port | CLIENT KILL [ID id] [ADDR ip:port] [LADDR ip:port] [TYPE type] [USER u] [SKIPME yes|no]
    static Reply clientKill(Ctx ctx, Server server) {
        Connection self = conn(ctx);
        if (ctx.argc() == 3) {
            String addr = Args.text(ctx.arg(2));
            for (Connection c : server.clients()) {
                if (c.peer().equals(addr)) {
                    kill(c, self);
                    return Reply.OK;
                }
            }
            return Reply.error("ERR No such client");
        }
        Long id = null;
        String addr = null;
        String laddr = null;
        String type = null;
        String user = null;
        boolean skipMe = true;
        if ((ctx.argc() - 2) % 2 != 0) {
            throw new CommandError(Errors.SYNTAX);
        }
        for (int i = 2; i < ctx.argc(); i += 2) {
            String opt = Args.lower(ctx.arg(i));
            String val = Args.text(ctx.arg(i + 1));
            switch (opt) {
                case "id" -> {
                    try {
                        id = Args.parseLong(ctx.arg(i + 1));
                    } catch (CommandError e) {
                        return Reply.error("ERR client-id should be greater than 0");
                    }
                    if (id <= 0) {
                        return Reply.error("ERR client-id should be greater than 0");
                    }
                }
                case "addr" -> addr = val;
                case "laddr" -> laddr = val;
                case "type" -> {
                    type = val.toLowerCase(Locale.ROOT);
                    if (!List.of("normal", "master", "replica", "slave", "pubsub").contains(type)) {
                        return Reply.error("ERR Unknown client type '" + val + "'");
                    }
                }
                case "user" -> user = val;
                case "skipme" -> {
                    if (val.equalsIgnoreCase("yes")) {
                        skipMe = true;
                    } else if (val.equalsIgnoreCase("no")) {
                        skipMe = false;
                    } else {
                        throw new CommandError(Errors.SYNTAX);
                    }
                }
                default -> throw new CommandError(Errors.SYNTAX);
            }
        }
        long killed = 0;
        for (Connection c : new ArrayList<>(server.clients())) {
            if ((id != null && c.id() != id) || (addr != null && !c.peer().equals(addr))
                    || (laddr != null && !c.local().equals(laddr))
                    || (user != null && !user.equals("default"))
                    || (type != null && !(type.equals("pubsub") ? c.subscribed() : type.equals("normal") && !c.subscribed()))
                    || (skipMe && c == self)) {
                continue;
            }
            kill(c, self);
            killed++;
        }
        return Reply.of(killed);
    }

    private static void kill(Connection c, Connection self) {
        if (c == self) {
            c.closeAfterReply();
        } else {
            c.closed = true;
            c.kill();
        }
    }

    // CLIENT PAUSE timeout [WRITE|ALL]
    static Reply clientPause(Ctx ctx, Server server) {
        long ms;
        try {
            ms = Args.parseLong(ctx.arg(2));
        } catch (CommandError e) {
            return Reply.error("ERR timeout is not an integer or out of range");
        }
        if (ms < 0) {
            return Reply.error("ERR timeout is negative");
        }
        boolean all = true;
        if (ctx.argc() == 4) {
            if (ctx.is(3, "write")) {
                all = false;
            } else if (!ctx.is(3, "all")) {
                return Reply.error("ERR CLIENT PAUSE mode must be WRITE or ALL");
            }
        } else if (ctx.argc() > 4) {
            throw new CommandError(Errors.SYNTAX);
        }
        long until = System.currentTimeMillis() + ms;
        if (until > server.pausedUntilMillis || server.pauseAll != all) {
            server.pauseAll = all || (server.pauseAll && server.pausedUntilMillis > System.currentTimeMillis());
            server.pausedUntilMillis = Math.max(until, server.pausedUntilMillis);
        }
        return Reply.OK;
    }

    // CLIENT UNBLOCK client-id [TIMEOUT|ERROR]
    static Reply clientUnblock(Ctx ctx, Server server) {
        long id;
        try {
            id = Args.parseLong(ctx.arg(2));
        } catch (CommandError e) {
            return Reply.error(Errors.NOT_INTEGER);
        }
        boolean error = false;
        if (ctx.argc() == 4) {
            if (ctx.is(3, "error")) {
                error = true;
            } else if (!ctx.is(3, "timeout")) {
                return Reply.error("ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR");
            }
        } else if (ctx.argc() > 4) {
            throw new CommandError(Errors.SYNTAX);
        }
        Connection c = server.client(id);
        if (c == null || !c.session.blocked()) {
            return Reply.ZERO;
        }
        Reply late = error ? Reply.error("UNBLOCKED client unblocked via CLIENT UNBLOCK")
                : c.session.blockState().timeoutReply();
        server.engine().unblockWithReply(c.session, late);
        return Reply.ONE;
    }
}
