package dev.cellar.server;

import dev.cellar.api.Reply;
import dev.cellar.core.engine.Args;
import dev.cellar.core.engine.CommandSpec;
import dev.cellar.core.engine.CommandTable;
import dev.cellar.core.engine.Ctx;
import dev.cellar.core.engine.Db;
import dev.cellar.core.engine.Engine;
import dev.cellar.core.engine.LatencyHistogram;
import dev.cellar.core.engine.Stats;
import io.netty.channel.epoll.Epoll;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
            "replication", "cpu", "modules", "commandstats", "errorstats", "latencystats", "cluster", "keyspace");

    private InfoCommands() {}

    static void register(CommandTable t, Server server) {
        t.sub("memory", "stats", 2, "", 0, 0, 0, ctx -> memoryStats(ctx, server));
        t.sub("memory", "doctor", 2, "", 0, 0, 0,
                ctx -> Reply.bulk(memoryDoctor(MemoryFigures.of(ctx.engine(), server))));
        // The JVM's counterpart of asking the allocator to return free pages: a collection, after
        // which G1 gives heap beyond MaxHeapFreeRatio back to the system
        t.sub("memory", "purge", 2, "", 0, 0, 0, ctx -> {
            System.gc();
            return Reply.OK;
        });
        t.sub("memory", "malloc-stats", 2, "", 0, 0, 0,
                ctx -> Reply.bulk("Stats not supported for the current allocator"));
        // the engine's MEMORY HELP knows USAGE only: the server's lists what it added
        t.sub("memory", "help", 2, "loading stale", 0, 0, 0, ctx -> ConnectionCommands.help("MEMORY", List.of(
                "DOCTOR", "    Return memory problems reports.",
                "MALLOC-STATS", "    Return internal statistics report from the memory allocator.",
                "PURGE", "    Attempt to purge dirty pages for reclamation by the allocator.",
                "STATS", "    Return information about the memory usage of the server.",
                "USAGE <key> [SAMPLES <count>]",
                "    Return memory in bytes used by <key> and its value. Nested values are",
                "    sampled up to <count> times (default: 5, 0 means sample all).")));
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
                // uname's machine name, as Redis prints it (the JVM calls x86_64 "amd64")
                String arch = System.getProperty("os.arch");
                field(sb, "os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                        + ("amd64".equals(arch) ? "x86_64" : arch));
                field(sb, "arch_bits", "64");
                field(sb, "monotonic_clock", "System.nanoTime");
                field(sb, "multiplexing_api", Epoll.isAvailable() ? "epoll" : "nio");
                field(sb, "atomicvar_api", "java");
                field(sb, "gcc_version", "0.0.0");
                field(sb, "process_id", ProcessHandle.current().pid());
                field(sb, "process_supervised", "no");
                field(sb, "run_id", server.runId);
                field(sb, "tcp_port", server.port());
                java.time.Instant at = java.time.Instant.now();
                field(sb, "server_time_usec", at.getEpochSecond() * 1_000_000 + at.getNano() / 1000);
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
                field(sb, "tracking_clients", server.tracking.clients());
                field(sb, "clients_in_timeout_table", engine.blockedClients());
                field(sb, "pubsub_clients", pubsub);
                field(sb, "watching_clients", watching);
            }
            case "memory" -> memory(sb, engine, server);
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
                field(sb, "sync_full", 0);
                field(sb, "sync_partial_ok", 0);
                field(sb, "sync_partial_err", 0);
                field(sb, "expired_keys", stats.expiredKeys);
                field(sb, "expired_stale_perc", String.format(Locale.ROOT, "%.2f", stats.expiredStalePerc * 100));
                field(sb, "expired_time_cap_reached_count", stats.expireTimeCapReached);
                field(sb, "expire_cycle_cpu_milliseconds", stats.expireCycleMicros / 1000);
                field(sb, "evicted_keys", stats.evictedKeys);
                field(sb, "evicted_clients", 0);
                field(sb, "total_eviction_exceeded_time", stats.evictionExceededMillis());
                field(sb, "current_eviction_exceeded_time", stats.currentEvictionExceededMicros() / 1000);
                field(sb, "keyspace_hits", stats.keyspaceHits);
                field(sb, "keyspace_misses", stats.keyspaceMisses);
                field(sb, "pubsub_channels", server.pubsub.channels.size());
                field(sb, "pubsub_patterns", server.pubsub.patterns.size());
                field(sb, "pubsubshard_channels", server.pubsub.shardChannels.size());
                // No fork here: the pause of opening a point-in-time view, which stands in for it
                field(sb, "latest_fork_usec", stats.latestForkMicros);
                field(sb, "total_forks", stats.totalForks);
                field(sb, "migrate_cached_sockets", 0);
                field(sb, "slave_expires_tracked_keys", 0);
                for (String zero : List.of("active_defrag_hits", "active_defrag_misses", "active_defrag_key_hits",
                        "active_defrag_key_misses", "total_active_defrag_time", "current_active_defrag_time")) {
                    field(sb, zero, 0);
                }
                long[] tracked = server.tracking.totals();
                field(sb, "tracking_total_keys", tracked[0]);
                field(sb, "tracking_total_items", tracked[1]);
                field(sb, "tracking_total_prefixes", tracked[2]);
                field(sb, "unexpected_error_replies", 0);
                field(sb, "total_error_replies", stats.errorReplies);
                field(sb, "dump_payload_sanitizations", 0);
                field(sb, "total_reads_processed", server.readsProcessed.sum());
                field(sb, "total_writes_processed", server.writesProcessed.sum());
                for (String zero : List.of("io_threaded_reads_processed", "io_threaded_writes_processed",
                        "reply_buffer_shrinks", "reply_buffer_expands")) {
                    field(sb, zero, 0);
                }
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
                double[] serving = servingThreadsCpu();
                field(sb, "used_cpu_sys_main_thread", String.format(Locale.ROOT, "%.6f", serving[1]));
                field(sb, "used_cpu_user_main_thread", String.format(Locale.ROOT, "%.6f", serving[0]));
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
            case "latencystats" -> {
                sb.append("# Latencystats\r\n");
                if (server.settings().getBool("latency-tracking")) {
                    double[] percentiles = LatencyHistogram.percentiles(
                            server.settings().get("latency-tracking-info-percentiles"));
                    for (CommandSpec s : engine.commands().all()) {
                        latencyStat(sb, s, percentiles);
                        for (CommandSpec sub : s.subcommands().values()) {
                            latencyStat(sb, sub, percentiles);
                        }
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
                        field(sb, "db" + i, "keys=" + db.size() + ",expires=" + db.expiresSize() + ",avg_ttl=" + db.avgTtl());
                    }
                }
            }
            default -> { }
        }
    }

    /**
     * INFO memory, Redis 7.0's fields in its order. {@code used_memory} is Cellar's estimate of the
     * data set (what maxmemory is checked against); the hash-table overhead is the keyspace's slot
     * arrays. Where Redis reports its allocator (jemalloc), Cellar reports the JVM heap, its
     * allocator: allocated is the heap in use, active and resident the heap the JVM has committed.
     * No scripting engine, replication or active defragmentation: their figures are 0.
     */
    /**
     * The memory figures INFO memory and MEMORY STATS/DOCTOR share, measured at once (see
     * {@link #memory}: the estimate, its peak and parts, the JVM heap as the allocator, the clients'
     * and the log's buffers).
     */
    record MemoryFigures(long used, long peak, long startup, long overhead, long rss, long heapUsed,
                         long heapCommitted, long aofBuffer, long clients, long keys) {
        static MemoryFigures of(Engine engine, Server server) {
            long used = engine.usedMemory();
            Runtime rt = Runtime.getRuntime();
            String aofBuffer = server.cellar().persistenceInfo().get("aof_buffer_length");
            long clients = 0;
            for (Connection c : server.clients()) {
                clients += c.memory();
            }
            long keys = 0;
            for (int i = 0; i < engine.databases(); i++) {
                keys += engine.db(i).size();
            }
            return new MemoryFigures(used, engine.updatePeakMemory(), engine.startupMemory(),
                    Math.min(used, engine.tableBytes()), InfoCommands.rss(), rt.totalMemory() - rt.freeMemory(), rt.totalMemory(),
                    aofBuffer == null ? 0 : Long.parseLong(aofBuffer), clients, keys);
        }

        long dataset() {
            return used - overhead;
        }

        /** Redis's net usage: used beyond the start-up figure, at least 1. */
        long netUsage() {
            return used > startup ? used - startup : 1;
        }
    }

    private static void memory(StringBuilder sb, Engine engine, Server server) {
        MemoryFigures f = MemoryFigures.of(engine, server);
        long maxmemory = server.settings().getLong("maxmemory");
        long systemMemory = totalSystemMemory();
        sb.append("# Memory\r\n");
        field(sb, "used_memory", f.used());
        field(sb, "used_memory_human", human(f.used()));
        field(sb, "used_memory_rss", f.rss());
        field(sb, "used_memory_rss_human", human(f.rss()));
        field(sb, "used_memory_peak", f.peak());
        field(sb, "used_memory_peak_human", human(f.peak()));
        field(sb, "used_memory_peak_perc", percent(f.used(), f.peak()));
        field(sb, "used_memory_overhead", f.overhead());
        field(sb, "used_memory_startup", f.startup());
        field(sb, "used_memory_dataset", f.dataset());
        field(sb, "used_memory_dataset_perc", percent(f.dataset(), f.netUsage()));
        field(sb, "allocator_allocated", f.heapUsed());
        field(sb, "allocator_active", f.heapCommitted());
        field(sb, "allocator_resident", f.heapCommitted());
        field(sb, "total_system_memory", systemMemory);
        field(sb, "total_system_memory_human", human(systemMemory));
        field(sb, "used_memory_lua", 0);
        field(sb, "used_memory_vm_eval", 0);
        field(sb, "used_memory_lua_human", human(0));
        field(sb, "used_memory_scripts_eval", 0);
        field(sb, "number_of_cached_scripts", 0);
        field(sb, "number_of_functions", 0);
        field(sb, "number_of_libraries", 0);
        field(sb, "used_memory_vm_functions", 0);
        field(sb, "used_memory_vm_total", 0);
        field(sb, "used_memory_vm_total_human", human(0));
        field(sb, "used_memory_functions", 0);
        field(sb, "used_memory_scripts", 0);
        field(sb, "used_memory_scripts_human", human(0));
        field(sb, "maxmemory", maxmemory);
        field(sb, "maxmemory_human", human(maxmemory));
        field(sb, "maxmemory_policy", server.settings().get("maxmemory-policy"));
        field(sb, "allocator_frag_ratio", ratio(f.heapCommitted(), f.heapUsed()));
        field(sb, "allocator_frag_bytes", f.heapCommitted() - f.heapUsed());
        field(sb, "allocator_rss_ratio", ratio(f.heapCommitted(), f.heapCommitted()));
        field(sb, "allocator_rss_bytes", 0);
        field(sb, "rss_overhead_ratio", ratio(f.rss(), f.heapCommitted()));
        field(sb, "rss_overhead_bytes", f.rss() - f.heapCommitted());
        field(sb, "mem_fragmentation_ratio", ratio(f.rss(), f.used()));
        field(sb, "mem_fragmentation_bytes", f.rss() - f.used());
        field(sb, "mem_not_counted_for_evict", f.aofBuffer());
        field(sb, "mem_replication_backlog", 0);
        field(sb, "mem_total_replication_buffers", 0);
        field(sb, "mem_clients_slaves", 0);
        field(sb, "mem_clients_normal", f.clients());
        field(sb, "mem_cluster_links", 0);
        field(sb, "mem_aof_buffer", f.aofBuffer());
        field(sb, "mem_allocator", "jvm");
        field(sb, "active_defrag_running", 0);
        field(sb, "lazyfree_pending_objects", 0);
        field(sb, "lazyfreed_objects", 0);
        field(sb, "jvm_heap_used", f.heapUsed());
        field(sb, "jvm_heap_committed", f.heapCommitted());
        field(sb, "jvm_heap_max", Runtime.getRuntime().maxMemory());
    }

    /** MEMORY STATS: Redis's fields, from the same figures as INFO memory. */
    private static Reply memoryStats(Ctx ctx, Server server) {
        Engine engine = ctx.engine();
        MemoryFigures f = MemoryFigures.of(engine, server);
        List<Reply> out = new ArrayList<>();
        java.util.function.BiConsumer<String, Reply> put = (name, value) -> {
            out.add(Reply.bulk(name));
            out.add(value);
        };
        put.accept("peak.allocated", Reply.of(f.peak()));
        put.accept("total.allocated", Reply.of(f.used()));
        put.accept("startup.allocated", Reply.of(f.startup()));
        put.accept("replication.backlog", Reply.of(0));
        put.accept("clients.slaves", Reply.of(0));
        put.accept("clients.normal", Reply.of(f.clients()));
        put.accept("cluster.links", Reply.of(0));
        put.accept("aof.buffer", Reply.of(f.aofBuffer()));
        put.accept("lua.caches", Reply.of(0));
        put.accept("functions.caches", Reply.of(0));
        for (int i = 0; i < engine.databases(); i++) {
            Db db = engine.db(i);
            if (db.size() == 0) {
                continue;
            }
            put.accept("db." + i, new Reply.MapReply(List.of(
                    Reply.bulk("overhead.hashtable.main"), Reply.of(db.keyTableBytes()),
                    Reply.bulk("overhead.hashtable.expires"), Reply.of(db.tableBytes() - db.keyTableBytes()),
                    Reply.bulk("overhead.hashtable.slot-to-keys"), Reply.of(0))));
        }
        put.accept("overhead.total", Reply.of(f.overhead()));
        put.accept("keys.count", Reply.of(f.keys()));
        put.accept("keys.bytes-per-key", Reply.of(f.keys() == 0 ? 0 : f.netUsage() / f.keys()));
        put.accept("dataset.bytes", Reply.of(f.dataset()));
        put.accept("dataset.percentage", new Reply.Double(100.0f * f.dataset() / f.netUsage()));
        put.accept("peak.percentage", new Reply.Double(f.peak() == 0 ? 0 : 100.0f * f.used() / f.peak()));
        put.accept("allocator.allocated", Reply.of(f.heapUsed()));
        put.accept("allocator.active", Reply.of(f.heapCommitted()));
        put.accept("allocator.resident", Reply.of(f.heapCommitted()));
        put.accept("allocator-fragmentation.ratio", new Reply.Double(ratioOf(f.heapCommitted(), f.heapUsed())));
        put.accept("allocator-fragmentation.bytes", Reply.of(f.heapCommitted() - f.heapUsed()));
        put.accept("allocator-rss.ratio", new Reply.Double(1.0));
        put.accept("allocator-rss.bytes", Reply.of(0));
        put.accept("rss-overhead.ratio", new Reply.Double(ratioOf(f.rss(), f.heapCommitted())));
        put.accept("rss-overhead.bytes", Reply.of(f.rss() - f.heapCommitted()));
        put.accept("fragmentation", new Reply.Double(ratioOf(f.rss(), f.used())));
        put.accept("fragmentation.bytes", Reply.of(f.rss() - f.used()));
        return new Reply.MapReply(out);
    }

    /** {@code a/b} with a float's precision, as Redis keeps its ratios; 0 when {@code b} is 0. */
    private static double ratioOf(long a, long b) {
        return b == 0 ? 0 : (float) a / b;
    }

    /**
     * MEMORY DOCTOR, with Redis's words. Of Redis's checks Cellar makes those that mean the same for
     * a JVM: an instance under 5 MB is too small to judge, and a peak over 150% of what is used now.
     * Redis's fragmentation and RSS checks are not made: a JVM's resident memory is its committed
     * heap, which is meant to exceed the data set.
     */
    static String memoryDoctor(MemoryFigures f) {
        if (f.used() < 5L * 1024 * 1024) {
            return "Hi Sam, this instance is empty or is using very little memory, my issues detector can't be used "
                    + "in these conditions. Please, leave for your mission on Earth and fill it with some data. The new "
                    + "Sam and I will be back to our programming as soon as I finished rebooting.\n";
        }
        if (f.peak() <= f.used() * 3 / 2) {
            return "Hi Sam, I can't find any memory issue in your instance. I can only account for what occurs on "
                    + "this base.\n";
        }
        return "Sam, I detected a few issues in this Redis instance memory implants:\n\n"
                + " * Peak memory: In the past this instance used more than 150% the memory that is currently using. "
                + "The allocator is normally not able to release memory after a peak, so you can expect to see a big "
                + "fragmentation ratio, however this is actually harmless and is only due to the memory peak, and if "
                + "the Redis instance Resident Set Size (RSS) is currently bigger than expected, the memory will be "
                + "used as soon as you fill the Redis instance with more data. If the memory peak was only occasional "
                + "and you want to try to reclaim memory, please try the MEMORY PURGE command, otherwise the only "
                + "other option is to shutdown and restart the instance.\n\n"
                + "I'm here to keep you safe, Sam. I want to help you.\n";
    }

    /** {@code a/b} as Redis prints its ratios ({@code %.2f}), 0.00 when {@code b} is 0. */
    private static String ratio(long a, long b) {
        return b == 0 ? "0.00" : String.format(Locale.ROOT, "%.2f", (double) a / b);
    }

    /** {@code 100*a/b} as Redis prints its percentages ({@code %.2f%%}), 0.00% when {@code b} is 0. */
    private static String percent(long a, long b) {
        return (b == 0 ? "0.00" : String.format(Locale.ROOT, "%.2f", 100.0 * a / b)) + "%";
    }

    /**
     * User and system CPU seconds of the threads that serve clients and run commands (the event
     * loops and the owner thread): Cellar's counterpart of Redis's main thread.
     */
    private static double[] servingThreadsCpu() {
        double[] cpu = {0, 0};
        try (java.util.stream.Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                try {
                    String name = Files.readString(task.resolve("comm")).trim();
                    if (name.equals("cellar-owner") || name.startsWith("cellar-io-")) {
                        String stat = Files.readString(task.resolve("stat"));
                        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                        cpu[0] += Long.parseLong(f[11]) / 100.0;
                        cpu[1] += Long.parseLong(f[12]) / 100.0;
                    }
                } catch (IOException | RuntimeException e) {
                    // the thread ended while listed
                }
            }
        } catch (IOException | RuntimeException e) {
            return new double[] {0, 0}; // not Linux
        }
        return cpu;
    }

    /** {@code latency_percentiles_usec_<name>:p50=...,p99=...}: µs with three decimals, as Redis. */
    private static void latencyStat(StringBuilder sb, CommandSpec s, double[] percentiles) {
        LatencyHistogram h = s.latency();
        if (h == null) {
            return;
        }
        sb.append("latency_percentiles_usec_").append(s.name()).append(':');
        for (int i = 0; i < percentiles.length; i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append('p').append(LatencyHistogram.formatPercentile(percentiles[i])).append('=')
                    .append(String.format(Locale.ROOT, "%.3f", h.valueAtPercentile(percentiles[i]) / 1000.0));
        }
        sb.append("\r\n");
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
