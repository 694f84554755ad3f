package dev.cellar.server;

import dev.cellar.api.Reply;
import dev.cellar.core.engine.Args;
import dev.cellar.core.engine.CommandSpec;
import dev.cellar.core.engine.CommandTable;
import dev.cellar.core.engine.Ctx;
import dev.cellar.core.engine.Db;
import dev.cellar.core.engine.Engine;
import dev.cellar.core.engine.Stats;
import io.netty.channel.epoll.Epoll;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** INFO, TIME, DBSIZE, LASTSAVE and MONITOR (Redis's {@code server.c} introspection). */
final class InfoCommands {
    private static final List<String> DEFAULT_SECTIONS = List.of("server", "clients", "memory", "persistence",
            "stats", "replication", "cpu", "modules", "errorstats", "cluster", "keyspace");
    private static final List<String> ALL_SECTIONS = List.of("server", "clients", "memory", "persistence", "stats",
            "replication", "cpu", "modules", "commandstats", "errorstats", "cluster", "keyspace");

    private InfoCommands() {}

    static void register(CommandTable t, Server server) {
        t.add("info", -1, "loading stale", 0, 0, 0, "server", ctx -> Reply.bulk(info(ctx, server)));
        // ROLE of a primary without replicas, as redis-server answers it (clients and tools ask it)
        t.add("role", 1, "noscript loading stale fast", 0, 0, 0, "server",
                ctx -> Reply.array(List.of(Reply.bulk("master"), Reply.of(0), Reply.EMPTY_ARRAY)));
        t.add("time", 1, "loading stale fast", 0, 0, 0, "server", ctx -> {
            long micros = java.time.Instant.now().toEpochMilli() * 1000 + (System.nanoTime() / 1000) % 1000;
            return Reply.array(List.of(Reply.bulk(Long.toString(micros / 1_000_000)),
                    Reply.bulk(Long.toString(micros % 1_000_000))));
        });
        if (t.get("dbsize") == null) {
            t.add("dbsize", 1, "readonly fast", 0, 0, 0, "server", ctx -> Reply.of(ctx.db().size()));
        }
        if (t.get("lastsave") == null) {
            t.add("lastsave", 1, "loading stale fast", 0, 0, 0, "server", ctx -> Reply.of(server.startMillis / 1000));
        }
        t.add("monitor", 1, "admin noscript loading stale", 0, 0, 0, "server", ctx -> {
            Connection c = ConnectionCommands.conn(ctx);
            if (!c.monitor) {
                c.monitor = true;
                server.monitors.add(c);
            }
            return Reply.OK;
        });
    }

    static String info(Ctx ctx, Server server) {
        Set<String> sections = new LinkedHashSet<>();
        if (ctx.argc() == 1) {
            sections.addAll(DEFAULT_SECTIONS);
        }
        for (int i = 1; i < ctx.argc(); i++) {
            String s = Args.lower(ctx.arg(i));
            switch (s) {
                case "default" -> sections.addAll(DEFAULT_SECTIONS);
                case "all", "everything" -> sections.addAll(ALL_SECTIONS);
                default -> sections.add(s);
            }
        }
        StringBuilder sb = new StringBuilder();
        for (String s : sections) {
            int before = sb.length();
            if (before > 0) {
                sb.append("\r\n");
            }
            int header = sb.length();
            section(s, sb, ctx.engine(), server);
            if (sb.length() == header) {
                sb.setLength(before);
            }
        }
        return sb.toString();
    }

    private static void section(String name, StringBuilder sb, Engine engine, Server server) {
        Stats stats = engine.stats();
        long now = System.currentTimeMillis();
        switch (name) {
            case "server" -> {
                long uptime = (now - server.startMillis) / 1000;
                sb.append("# Server\r\n");
                field(sb, "redis_version", Server.REDIS_VERSION);
                field(sb, "redis_git_sha1", "00000000");
                field(sb, "redis_git_dirty", "0");
                field(sb, "redis_build_id", "0");
                field(sb, "redis_mode", "standalone");
                field(sb, "os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                        + System.getProperty("os.arch"));
                field(sb, "arch_bits", "64");
                field(sb, "monotonic_clock", "System.nanoTime");
                field(sb, "multiplexing_api", Epoll.isAvailable() ? "epoll" : "nio");
                field(sb, "atomicvar_api", "java");
                field(sb, "gcc_version", "0.0.0");
                field(sb, "process_id", ProcessHandle.current().pid());
                field(sb, "process_supervised", "no");
                field(sb, "run_id", server.runId);
                field(sb, "tcp_port", server.port());
                field(sb, "server_time_usec", now * 1000);
                field(sb, "uptime_in_seconds", uptime);
                field(sb, "uptime_in_days", uptime / 86400);
                field(sb, "hz", server.settings().get("hz"));
                field(sb, "configured_hz", server.settings().get("hz"));
                field(sb, "lru_clock", (now / 1000) & ((1 << 24) - 1));
                field(sb, "executable", ProcessHandle.current().info().command().orElse(""));
                field(sb, "config_file", server.configFile() == null ? "" : server.configFile().toAbsolutePath());
                field(sb, "io_threads_active", "0");
                field(sb, "cellar_version", Server.VERSION);
                field(sb, "java_version", System.getProperty("java.version"));
                field(sb, "cellar_execution", server.settings().get("cellar-execution"));
            }
            case "clients" -> {
                sb.append("# Clients\r\n");
                int pubsub = 0;
                int watching = 0;
                for (Connection c : server.clients()) {
                    if (c.subscribed()) {
                        pubsub++;
                    }
                    if (c.session.watchedCount() > 0) {
                        watching++;
                    }
                }
                field(sb, "connected_clients", server.clients().size());
                field(sb, "cluster_connections", 0);
                field(sb, "maxclients", server.settings().get("maxclients"));
                field(sb, "client_recent_max_input_buffer", 0);
                field(sb, "client_recent_max_output_buffer", 0);
                field(sb, "blocked_clients", engine.blockedClients());
                field(sb, "tracking_clients", 0);
                field(sb, "clients_in_timeout_table", engine.blockedClients());
                field(sb, "pubsub_clients", pubsub);
                field(sb, "watching_clients", watching);
            }
            case "memory" -> {
                long used = engine.usedMemory();
                long rss = rss();
                Runtime rt = Runtime.getRuntime();
                long maxmemory = server.settings().getLong("maxmemory");
                sb.append("# Memory\r\n");
                field(sb, "used_memory", used);
                field(sb, "used_memory_human", human(used));
                field(sb, "used_memory_rss", rss);
                field(sb, "used_memory_rss_human", human(rss));
                field(sb, "used_memory_peak", used);
                field(sb, "used_memory_peak_human", human(used));
                field(sb, "used_memory_dataset", used);
                field(sb, "total_system_memory", totalSystemMemory());
                field(sb, "total_system_memory_human", human(totalSystemMemory()));
                field(sb, "maxmemory", maxmemory);
                field(sb, "maxmemory_human", human(maxmemory));
                field(sb, "maxmemory_policy", server.settings().get("maxmemory-policy"));
                field(sb, "mem_fragmentation_ratio", used == 0 ? "0.00" : String.format(Locale.ROOT, "%.2f", (double) rss / used));
                field(sb, "mem_allocator", "jvm");
                field(sb, "jvm_heap_used", rt.totalMemory() - rt.freeMemory());
                field(sb, "jvm_heap_committed", rt.totalMemory());
                field(sb, "jvm_heap_max", rt.maxMemory());
            }
            case "persistence" -> {
                sb.append("# Persistence\r\n");
                for (Map.Entry<String, String> e : server.cellar().persistenceInfo().entrySet()) {
                    field(sb, e.getKey(), e.getValue());
                }
                field(sb, "cellar_persistence_providers", Main.persistenceProviders());
            }
            case "stats" -> {
                sb.append("# Stats\r\n");
                field(sb, "total_connections_received", server.connectionsReceived.get());
                field(sb, "total_commands_processed", stats.commandsProcessed);
                InstantaneousMetrics m = server.metrics;
                field(sb, "instantaneous_ops_per_sec", m.rate(InstantaneousMetrics.COMMANDS));
                field(sb, "total_net_input_bytes", server.netInputBytes.sum());
                field(sb, "total_net_output_bytes", server.netOutputBytes.sum());
                field(sb, "total_net_repl_input_bytes", 0);
                field(sb, "total_net_repl_output_bytes", 0);
                field(sb, "instantaneous_input_kbps", InstantaneousMetrics.kbps(m.rate(InstantaneousMetrics.NET_INPUT)));
                field(sb, "instantaneous_output_kbps", InstantaneousMetrics.kbps(m.rate(InstantaneousMetrics.NET_OUTPUT)));
                field(sb, "instantaneous_input_repl_kbps", "0.00");
                field(sb, "instantaneous_output_repl_kbps", "0.00");
                field(sb, "rejected_connections", server.rejectedConnections.get());
                field(sb, "expired_keys", stats.expiredKeys);
                field(sb, "evicted_keys", stats.evictedKeys);
                field(sb, "keyspace_hits", stats.keyspaceHits);
                field(sb, "keyspace_misses", stats.keyspaceMisses);
                field(sb, "pubsub_channels", server.pubsub.channels.size());
                field(sb, "pubsub_patterns", server.pubsub.patterns.size());
                field(sb, "total_error_replies", stats.errorReplies);
            }
            case "replication" -> {
                sb.append("# Replication\r\n");
                field(sb, "role", "master");
                field(sb, "connected_slaves", 0);
                field(sb, "master_failover_state", "no-failover");
                field(sb, "master_replid", server.runId);
                field(sb, "master_replid2", "0000000000000000000000000000000000000000");
                field(sb, "master_repl_offset", 0);
                field(sb, "second_repl_offset", -1);
                field(sb, "repl_backlog_active", 0);
                field(sb, "repl_backlog_size", 1048576);
                field(sb, "repl_backlog_first_byte_offset", 0);
                field(sb, "repl_backlog_histlen", 0);
            }
            case "cpu" -> {
                double[] cpu = cpu();
                sb.append("# CPU\r\n");
                field(sb, "used_cpu_sys", String.format(Locale.ROOT, "%.6f", cpu[1]));
                field(sb, "used_cpu_user", String.format(Locale.ROOT, "%.6f", cpu[0]));
                field(sb, "used_cpu_sys_children", "0.000000");
                field(sb, "used_cpu_user_children", "0.000000");
            }
            case "modules" -> sb.append("# Modules\r\n");
            case "cluster" -> {
                sb.append("# Cluster\r\n");
                field(sb, "cluster_enabled", 0);
            }
            case "commandstats" -> {
                sb.append("# Commandstats\r\n");
                for (CommandSpec s : engine.commands().all()) {
                    commandStat(sb, s);
                    for (CommandSpec sub : s.subcommands().values()) {
                        commandStat(sb, sub);
                    }
                }
            }
            case "errorstats" -> {
                sb.append("# Errorstats\r\n");
                for (Map.Entry<String, Long> e : stats.errors.entrySet()) {
                    field(sb, "errorstat_" + e.getKey(), "count=" + e.getValue());
                }
            }
            case "keyspace" -> {
                sb.append("# Keyspace\r\n");
                for (int i = 0; i < engine.databases(); i++) {
                    Db db = engine.db(i);
                    if (db.size() > 0) {
                        field(sb, "db" + i, "keys=" + db.size() + ",expires=" + db.expiresSize() + ",avg_ttl=0");
                    }
                }
            }
            default -> { }
        }
    }

    private static void commandStat(StringBuilder sb, CommandSpec s) {
        if (s.calls() == 0 && s.rejectedCalls() == 0 && s.failedCalls() == 0) {
            return;
        }
        double perCall = s.calls() == 0 ? 0 : (double) s.microseconds() / s.calls();
        field(sb, "cmdstat_" + s.name(), "calls=" + s.calls() + ",usec=" + s.microseconds() + ",usec_per_call="
                + String.format(Locale.ROOT, "%.2f", perCall) + ",rejected_calls=" + s.rejectedCalls()
                + ",failed_calls=" + s.failedCalls());
    }

    private static void field(StringBuilder sb, String name, Object value) {
        sb.append(name).append(':').append(value).append("\r\n");
    }

    /** Redis's bytesToHuman. */
    static String human(long n) {
        double d = n;
        if (n < 1024) {
            return n + "B";
        } else if (n < 1024L * 1024) {
            return String.format(Locale.ROOT, "%.2fK", d / 1024);
        } else if (n < 1024L * 1024 * 1024) {
            return String.format(Locale.ROOT, "%.2fM", d / (1024 * 1024));
        } else if (n < 1024L * 1024 * 1024 * 1024) {
            return String.format(Locale.ROOT, "%.2fG", d / (1024L * 1024 * 1024));
        }
        return String.format(Locale.ROOT, "%.2fT", d / (1024L * 1024 * 1024 * 1024));
    }

    /** The process's resident set size from /proc, or 0 where there is none. */
    static long rss() {
        try {
            String[] statm = Files.readString(Path.of("/proc/self/statm")).trim().split("\\s+");
            return Long.parseLong(statm[1]) * 4096;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    private static long totalSystemMemory() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return 0;
    }

    /** User and system CPU seconds of the process, from /proc (zeros where there is none). */
    private static double[] cpu() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return new double[] {Long.parseLong(f[11]) / 100.0, Long.parseLong(f[12]) / 100.0};
        } catch (IOException | RuntimeException e) {
            return new double[] {0, 0};
        }
    }
}
