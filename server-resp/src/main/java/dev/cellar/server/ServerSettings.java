package dev.cellar.server;

import dev.cellar.core.engine.Settings;
import dev.cellar.server.log.LogConfig;
import java.util.List;

/** The server's parameters, added to the engine's registry under Redis's names and defaults. */
final class ServerSettings {
    private ServerSettings() {}

    /** The engine's parameters plus the server's. */
    static Settings create() {
        Settings s = Settings.engineDefaults();
        // Port 0 asks the OS for a free port (tests); Redis reads 0 as "no TCP listener".
        s.defineInt("port", 6379, 0, 65535, false);
        s.defineString("bind", "127.0.0.1 -::1", false);
        s.defineBool("protected-mode", true, true);
        s.defineInt("tcp-backlog", 511, 0, Integer.MAX_VALUE, false);
        s.defineInt("timeout", 0, 0, Integer.MAX_VALUE, true);
        s.defineInt("tcp-keepalive", 300, 0, Integer.MAX_VALUE, true);
        s.defineInt("maxclients", 10000, 1, 4294967295L, true);
        s.defineString("requirepass", "", true);
        // at least 1 MB, as in Redis: a smaller limit would refuse the commands that could raise it again
        s.defineMemory("proto-max-bulk-len", "512mb", 1024 * 1024, Long.MAX_VALUE, true);
        s.defineMemory("client-query-buffer-limit", "1gb", 1024 * 1024, Long.MAX_VALUE, true);
        s.defineString("client-output-buffer-limit", OutputLimits.DEFAULT, true);
        s.defineEnum("loglevel", "notice", List.of("debug", "verbose", "notice", "warning"), true)
                .onChange(LogConfig::setLevel);
        s.defineString("logfile", "", false).onChange(LogConfig::setFile);
        s.defineString("notify-keyspace-events", "", true)
                .onChange(v -> KeyspaceEvents.parse(v));
        s.defineInt("slowlog-log-slower-than", 10000, -1, Long.MAX_VALUE, true);
        s.defineInt("slowlog-max-len", 128, 0, Long.MAX_VALUE, true);
        s.defineInt("latency-monitor-threshold", 0, 0, Long.MAX_VALUE, true);
        s.defineEnum("enable-debug-command", "no", List.of("no", "yes", "local"), false);
        s.defineBool("daemonize", false, false).onChange(v -> {
            if (v.equals("yes")) {
                throw new IllegalArgumentException("daemonize yes is not supported: run Cellar under a supervisor");
            }
        });
        s.defineString("pidfile", "", false);
        s.defineInt("io-threads", 1, 1, 128, false);
        s.defineBool("io-threads-do-reads", false, false);
        s.defineEnum("supervised", "no", List.of("no", "upstart", "systemd", "auto"), false);
        s.defineBool("always-show-logo", false, false);
        s.defineBool("set-proc-title", true, false);
        s.defineString("proc-title-template", "{title} {listen-addr} {server-mode}", true);
        s.defineString("cellar-event-loops", "0", false);
        s.defineEnum("cellar-execution", "owner-thread", List.of("event-loop", "owner-thread"), false);
        return s;
    }
}
