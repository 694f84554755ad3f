package dev.cellar.core.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import java.util.List;

/**
 * The module edges of {@code shared/design.md}, as named ArchUnit rules (Flink's style). Every
 * module's {@code ArchitectureTest} checks all of them against the classes on its class path, so
 * each edge is checked wherever both of its ends are visible.
 */
public final class ArchitectureRules {
    private ArchitectureRules() {}

    public static final ArchRule API_DEPENDS_ON_NOTHING_OF_OURS = classes()
            .that().resideInAnyPackage("dev.cellar.api..", "dev.cellar.spi..")
            .should().onlyDependOnClassesThat().resideInAnyPackage(
                    "java..", "dev.cellar.api..", "dev.cellar.spi..", "com.google.common..")
            .as("api must depend on nothing of ours (guava only if it earns its place)")
            .allowEmptyShould(true);

    public static final ArchRule CORE_MUST_NOT_DEPEND_ON_PERSISTENCE = noClasses()
            .that().resideInAPackage("dev.cellar.core..")
            .should().dependOnClassesThat().resideInAPackage("dev.cellar.persistence..")
            .as("core must not depend on a persistence module (providers are found through the SPI)")
            .allowEmptyShould(true);

    public static final ArchRule CORE_MUST_NOT_DEPEND_ON_SERVER_OR_NETTY = noClasses()
            .that().resideInAPackage("dev.cellar.core..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.cellar.server..", "io.netty..")
            .as("core must not depend on the server or on Netty")
            .allowEmptyShould(true);

    public static final ArchRule PERSISTENCE_SEES_ONLY_API = noClasses()
            .that().resideInAPackage("dev.cellar.persistence..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.cellar.core..", "dev.cellar.server..", "io.netty..")
            .as("a persistence module sees only the api (and, for hybrid, the rdb and aof modules)")
            .allowEmptyShould(true);

    public static final ArchRule NETTY_ONLY_IN_SERVER = noClasses()
            .that().resideOutsideOfPackage("dev.cellar.server..")
            .and().resideInAPackage("dev.cellar..")
            .should().dependOnClassesThat().resideInAPackage("io.netty..")
            .as("Netty is used only inside server-resp")
            .allowEmptyShould(true);

    public static final ArchRule ROCKSDB_ONLY_IN_ITS_MODULE = noClasses()
            .that().resideOutsideOfPackage("dev.cellar.persistence.rocksdb..")
            .and().resideInAPackage("dev.cellar..")
            .should().dependOnClassesThat().resideInAPackage("org.rocksdb..")
            .as("RocksDB is used only inside persistence-rocksdb")
            .allowEmptyShould(true);

    public static final ArchRule MAPDB_ONLY_IN_ITS_MODULE = noClasses()
            .that().resideOutsideOfPackage("dev.cellar.persistence.mapdb..")
            .and().resideInAPackage("dev.cellar..")
            .should().dependOnClassesThat().resideInAPackage("org.mapdb..")
            .as("MapDB is used only inside persistence-mapdb")
            .allowEmptyShould(true);

    /** Every rule. */
    public static final List<ArchRule> ALL = List.of(API_DEPENDS_ON_NOTHING_OF_OURS,
            CORE_MUST_NOT_DEPEND_ON_PERSISTENCE, CORE_MUST_NOT_DEPEND_ON_SERVER_OR_NETTY, PERSISTENCE_SEES_ONLY_API,
            NETTY_ONLY_IN_SERVER, ROCKSDB_ONLY_IN_ITS_MODULE, MAPDB_ONLY_IN_ITS_MODULE);

    /** Cellar's production classes on the class path. */
    public static JavaClasses productionClasses() {
        return new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.cellar");
    }
}
