package dev.cellar.core.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.net.URL;
import java.util.Enumeration;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What each module exports, as its {@code module-info} declares it: the test fails when a module
 * starts exporting an implementation package (or stops exporting an API one).
 */
public final class ModuleExports {
    private ModuleExports() {}

    /** Expected exports per module: package, or {@code package to module} for qualified exports. */
    public static final Map<String, java.util.Set<String>> EXPECTED = Map.of(
            "dev.cellar.api", java.util.Set.of("dev.cellar.api", "dev.cellar.spi", "dev.cellar.spi.persistence",
                    "dev.cellar.spi.expiry", "dev.cellar.spi.eviction"),
            "dev.cellar.core", java.util.Set.of("dev.cellar.core", "dev.cellar.core.engine to dev.cellar.benchmarks,dev.cellar.server",
                    "dev.cellar.core.values to dev.cellar.server"),
            "dev.cellar.server", java.util.Set.of("dev.cellar.server"),
            "dev.cellar.persistence.hybrid", java.util.Set.of(),
            "dev.cellar.benchmarks", java.util.Set.of(),
            "dev.cellar.conformance", java.util.Set.of("dev.cellar.conformance"),
            "dev.cellar.persistence.rdb", java.util.Set.of("dev.cellar.persistence.rdb"),
            "dev.cellar.persistence.aof", java.util.Set.of("dev.cellar.persistence.aof"));

    /** The module descriptors found on the class path (from directories and jars), by module name. */
    public static Map<String, ModuleDescriptor> onClassPath() throws IOException {
        Map<String, ModuleDescriptor> found = new TreeMap<>();
        Enumeration<URL> urls = ModuleExports.class.getClassLoader().getResources("module-info.class");
        while (urls.hasMoreElements()) {
            try (InputStream in = urls.nextElement().openStream()) {
                ModuleDescriptor d = ModuleDescriptor.read(in);
                if (d.name().startsWith("dev.cellar")) {
                    found.put(d.name(), d);
                }
            }
        }
        return found;
    }

    /** Checks every Cellar module descriptor on the class path against {@link #EXPECTED}. */
    public static void assertExportsAsExpected(String... modulesThatMustBePresent) throws IOException {
        Map<String, ModuleDescriptor> found = onClassPath();
        assertThat(found.keySet()).contains(modulesThatMustBePresent);
        for (ModuleDescriptor d : found.values()) {
            java.util.Set<String> exports = new TreeSet<>();
            for (ModuleDescriptor.Exports e : d.exports()) {
                exports.add(e.isQualified() ? e.source() + " to " + String.join(",", new TreeSet<>(e.targets())) : e.source());
            }
            assertThat(EXPECTED).as("expected exports are declared for module " + d.name()).containsKey(d.name());
            assertThat(exports).as("exports of " + d.name()).isEqualTo(new TreeSet<>(EXPECTED.get(d.name())));
        }
    }
}
