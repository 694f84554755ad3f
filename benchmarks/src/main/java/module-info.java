/** JMH benchmarks and side-by-side measurements; not a library. */
module dev.cellar.benchmarks {
    requires dev.cellar.core;
    requires dev.cellar.persistence.rdb; // found by ServiceLoader (RdbCompare)
    requires jmh.core;
    requires java.management;
}
