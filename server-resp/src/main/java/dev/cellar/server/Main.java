package dev.cellar.server;

import dev.cellar.core.engine.Providers;
import dev.cellar.core.engine.Settings;
import dev.cellar.spi.persistence.PersistenceProvider;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts Cellar like {@code redis-server}: {@code java -jar cellar-server.jar [redis.conf] [--name value ...]}.
 * The file is read first, then the command-line options override it. SIGTERM (the JVM's shutdown
 * hook) and SHUTDOWN stop the server cleanly and the process exits with status 0.
 */
public final class Main {
    private Main() {}

    /**
     * Netty's buffer leak detector, on by default at its sampling level, records a stack trace for
     * one buffer allocation in 128: under {@code redis-benchmark -P 1} that was about 2% of the
     * event loop's time ({@code Throwable.fillInStackTrace}). The server runs without it unless
     * {@code -Dio.netty.leakDetection.level} asks for a level; the tests, which start {@link Server}
     * directly, keep Netty's default.
     */
    static void configureLeakDetection() {
        if (System.getProperty("io.netty.leakDetection.level") == null
                && System.getProperty("io.netty.leakDetectionLevel") == null) {
            io.netty.util.ResourceLeakDetector.setLevel(io.netty.util.ResourceLeakDetector.Level.DISABLED);
        }
    }

    /** Runs the server until it is shut down. */
    public static void main(String[] args) throws Exception {
        if (args.length == 1 && (args[0].equals("-v") || args[0].equals("--version"))) {
            System.out.println("Cellar server v=" + Server.VERSION + " (Redis " + Server.REDIS_VERSION
                    + " compatible) java=" + System.getProperty("java.version"));
            return;
        }
        if (args.length == 1 && (args[0].equals("-h") || args[0].equals("--help"))) {
            System.out.println("Usage: java -jar cellar-server.jar [/path/to/redis.conf] [options]\n"
                    + "Examples:\n  java -jar cellar-server.jar (run with the defaults)\n"
                    + "  java -jar cellar-server.jar /etc/redis/6379.conf\n"
                    + "  java -jar cellar-server.jar --port 7777\n"
                    + "  java -jar cellar-server.jar /etc/myredis.conf --loglevel verbose --requirepass secret");
            return;
        }
        if (args.length > 0 && TOOLS.containsKey(args[0])) {
            runTool(args);
            return;
        }
        configureLeakDetection();
        Path configFile = null;
        List<String> options = new ArrayList<>(Arrays.asList(args));
        if (!options.isEmpty() && !options.get(0).startsWith("--")) {
            configFile = Path.of(options.remove(0));
        }
        Settings settings = ServerSettings.create();
        List<ConfigFile.Directive> unknown;
        try {
            List<ConfigFile.Directive> directives = new ArrayList<>();
            if (configFile != null) {
                directives.addAll(ConfigFile.read(configFile));
            }
            directives.addAll(ConfigFile.fromOptions(options));
            unknown = ConfigFile.apply(directives, settings);
        } catch (ConfigFile.FatalConfigError e) {
            System.err.println(e.getMessage());
            System.exit(1);
            return;
        } catch (IOException e) {
            System.err.println("Fatal error, can't open config file '" + configFile + "': " + e.getMessage());
            System.exit(1);
            return;
        }
        String persistence = applyServerChoices(settings);
        Logger log = LoggerFactory.getLogger(Main.class);
        log.info("oO0OoO0OoO0Oo Cellar is starting oO0OoO0OoO0Oo");
        log.info("persistence: snapshots {}, appendonly {}", persistence.isEmpty() ? "none" : persistence,
                settings.get("appendonly"));
        log.info("Cellar version={} (Redis {} compatible), bits=64, pid={}, java={}, just started", Server.VERSION,
                Server.REDIS_VERSION, ProcessHandle.current().pid(), System.getProperty("java.version"));
        if (configFile == null) {
            log.warn("Warning: no config file specified, using the default config. In order to specify a config "
                    + "file use java -jar cellar-server.jar /path/to/redis.conf");
        } else {
            log.info("Configuration loaded");
        }
        for (ConfigFile.Directive d : unknown) {
            log.warn("Unsupported or unknown directive '{}' ({} line {}): ignored", d.name(), d.source(), d.line());
        }
        Server server = new Server(settings, configFile, t -> {});
        try {
            server.start();
        } catch (IllegalStateException e) {
            log.warn(e.getMessage());
            System.exit(1);
            return;
        }
        // SIGTERM and SIGINT stop the server and exit 0, as redis-server does; the shutdown hook
        // covers the other ways a JVM ends (it cannot change the exit status). Installed before
        // the server says it is ready: a SIGTERM sent on seeing "Ready to accept connections"
        // must find the handler (it did not always, and the JVM then exited with 143).
        for (String signal : new String[] {"TERM", "INT"}) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(signal), s -> {
                    log.warn("Received SIG{} scheduling shutdown...", signal);
                    server.requestShutdown();
                });
            } catch (IllegalArgumentException | LinkageError e) {
                log.debug("cannot handle SIG{}: {}", signal, e.toString());
            }
        }
        Runtime.getRuntime().addShutdownHook(new Thread(server::stop, "cellar-shutdown-hook"));
        log.info("Running mode=standalone, port={}, pid={}, persistence providers: {}", server.port(),
                ProcessHandle.current().pid(), persistenceProviders());
        log.info("Ready to accept connections tcp");
        server.awaitTermination();
        log.warn("Cellar is now ready to exit, bye bye...");
        System.exit(0);
    }

    /** The command-line tools the jar runs instead of the server: {@code check-rdb FILE}, {@code check-aof ...}. */
    private static final java.util.Map<String, String> TOOLS = java.util.Map.of(
            "check-rdb", "dev.cellar.persistence.rdb.RdbCheck",
            "check-aof", "dev.cellar.persistence.aof.AofCheck");

    private static void runTool(String[] args) throws Exception {
        String className = TOOLS.get(args[0]);
        Class<?> tool;
        try {
            tool = Class.forName(className);
        } catch (ClassNotFoundException e) {
            System.err.println(args[0] + " is not available: " + className + " is not on the class path");
            System.exit(2);
            return;
        }
        tool.getMethod("main", String[].class).invoke(null, (Object) Arrays.copyOfRange(args, 1, args.length));
    }

    /**
     * What the server itself decides over the settings it was given, before it starts: the snapshot
     * provider ({@link #choosePersistence}) and loading in the background (the port opens while a
     * data set loads, as Redis does: clients get -LOADING meanwhile). CONFIG REWRITE takes settings
     * with these applied as its defaults, so that a rewritten file holds none of the Cellar-only
     * settings the server set on its own (redis-server refuses them). Returns the provider's name.
     */
    static String applyServerChoices(Settings settings) {
        String persistence = choosePersistence(settings);
        settings.set("cellar-load-in-background", "yes", true);
        return persistence;
    }

    /**
     * Chooses the snapshot provider when {@code cellar-persistence} is not set: {@code rdb} when it
     * is installed, whatever {@code appendonly} says, so that {@code dump.rdb} is written beside
     * the AOF as Redis writes it. The log is the store's business: it opens while {@code appendonly}
     * is {@code yes} ({@code hybrid} when installed, its bases as {@code aof-use-rdb-preamble} says,
     * else {@code aof}). An explicit {@code cellar-persistence aof} or {@code hybrid} means a log alone.
     */
    private static String choosePersistence(Settings settings) {
        String chosen = settings.get("cellar-persistence");
        if (chosen != null && !chosen.isBlank()) {
            return chosen;
        }
        if (!Providers.discover(PersistenceProvider.class, PersistenceProvider::name).byName().containsKey("rdb")) {
            return "";
        }
        settings.set("cellar-persistence", "rdb", true);
        return "rdb";
    }

    /** The names of the persistence providers found on the class or module path, or "none". */
    static String persistenceProviders() {
        Providers.Found<PersistenceProvider> found = Providers.discover(PersistenceProvider.class,
                PersistenceProvider::name);
        return found.byName().isEmpty() ? "none" : String.join(",", found.byName().keySet());
    }
}
