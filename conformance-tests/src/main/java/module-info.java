/**
 * The persistence conformance kit: an abstract JUnit 5 class that every persistence provider's tests
 * subclass, so that all providers, Cellar's own and users', are held to one specification.
 */
module dev.cellar.conformance {
    requires transitive dev.cellar.api;
    requires transitive org.junit.jupiter.api;
    requires transitive org.assertj.core;

    exports dev.cellar.conformance;
    // JUnit instantiates the kit's nested test classes and its extension reflectively.
    opens dev.cellar.conformance to org.junit.platform.commons;
}
