package dev.cellar.core.engine;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Service discovery as SLF4J 2 does it: every provider found is listed by name; a provider that
 * fails to load is reported and skipped, not fatal; two providers with one name are reported as
 * ambiguous and the name is refused until configuration disambiguates.
 */
public final class Providers {
    private static final Logger LOG = LoggerFactory.getLogger(Providers.class);

    private Providers() {}

    /** The result of discovery: providers by name, and the problems met. */
    public record Found<T>(Map<String, T> byName, List<String> problems, List<String> ambiguous) {}

    /** Discovers providers of a service, keyed by {@code name}. */
    public static <T> Found<T> discover(Class<T> service, Function<T, String> name) {
        Map<String, T> byName = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        List<String> ambiguous = new ArrayList<>();
        Iterator<T> it = ServiceLoader.load(service, Providers.class.getClassLoader()).iterator();
        while (true) {
            T provider;
            try {
                if (!it.hasNext()) {
                    break;
                }
                provider = it.next();
            } catch (ServiceConfigurationError e) {
                String msg = "a " + service.getSimpleName() + " provider failed to load and was skipped: "
                        + e.getMessage() + (e.getCause() == null ? "" : " (" + e.getCause() + ")");
                LOG.warn(msg);
                problems.add(msg);
                continue;
            }
            String n;
            try {
                n = name.apply(provider);
            } catch (RuntimeException e) {
                String msg = service.getSimpleName() + " provider " + provider.getClass().getName()
                        + " failed to report its name and was skipped: " + e;
                LOG.warn(msg);
                problems.add(msg);
                continue;
            }
            T previous = byName.putIfAbsent(n, provider);
            if (previous != null && previous.getClass() != provider.getClass()) {
                String msg = "two " + service.getSimpleName() + " providers are named '" + n + "': "
                        + previous.getClass().getName() + " and " + provider.getClass().getName();
                LOG.warn(msg);
                ambiguous.add(n);
                problems.add(msg);
            }
        }
        for (String n : ambiguous) {
            byName.remove(n);
        }
        return new Found<>(byName, problems, ambiguous);
    }
}
