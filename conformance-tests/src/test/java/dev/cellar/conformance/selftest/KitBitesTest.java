package dev.cellar.conformance.selftest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectNestedMethod;

import dev.cellar.conformance.PersistenceBackend;
import dev.cellar.conformance.PersistenceConformance;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * Proof that the kit bites: it runs chosen kit tests, through the JUnit Platform launcher, against
 * deliberately broken variants of {@link LogProvider}, and asserts that exactly the tests aimed at
 * each defect fail while tests that the defect does not touch still pass.
 */
class KitBitesTest {
    private static final String PASSED = "PASSED";

    /** The kit against a log that loses its last record at close. */
    static class DropsLastWriteRun extends PersistenceConformance {
        @Override
        protected PersistenceBackend backend() {
            return LogProviderConformanceTest.backend("kit-log-drops-last-write");
        }
    }

    /** The kit against a log that writes values without their expiry. */
    static class LosesExpiriesRun extends PersistenceConformance {
        @Override
        protected PersistenceBackend backend() {
            return LogProviderConformanceTest.backend("kit-log-loses-expiries");
        }
    }

    /** The kit against a log that loads records whatever their checksum. */
    static class IgnoresChecksumsRun extends PersistenceConformance {
        @Override
        protected PersistenceBackend backend() {
            return LogProviderConformanceTest.backend("kit-log-ignores-checksums");
        }
    }

    /** The kit against a log that leaves a torn batch in the file after a failed write. */
    static class ForgetsFailedWritesRun extends PersistenceConformance {
        @Override
        protected PersistenceBackend backend() {
            return LogProviderConformanceTest.backend("kit-log-forgets-failed-writes");
        }
    }

    @Test
    @DisplayName("a log that drops its last write fails the round-trip tests, not the crash-copy test")
    void droppedLastWrite() {
        Map<String, String> outcomes = run(DropsLastWriteRun.class,
                "RoundTrip#lastWriteWins", "RoundTrip#severalGenerations", "Databases#onlyTheLastDatabase",
                "Durability#crashCopyHoldsEveryAcknowledgedWrite");
        assertThat(outcomes.get("lastWriteWins")).startsWith("FAILED").contains("key 'last': missing");
        assertThat(outcomes.get("severalGenerations")).startsWith("FAILED");
        assertThat(outcomes.get("onlyTheLastDatabase")).startsWith("FAILED").contains("db 15 key 'k': missing");
        assertThat(outcomes.get("crashCopyHoldsEveryAcknowledgedWrite")).isEqualTo(PASSED);
    }

    @Test
    @DisplayName("a log that loses expiries fails the expiry tests, not the key round trip")
    void lostExpiries() {
        Map<String, String> outcomes = run(LosesExpiriesRun.class,
                "Expiries#stringExpiryKeptExactly", "Expiries#expiredWhileClosed", "RoundTrip#binaryKeys");
        assertThat(outcomes.get("stringExpiryKeptExactly")).startsWith("FAILED").contains("but was: -1L");
        assertThat(outcomes.get("expiredWhileClosed")).startsWith("FAILED").contains("'short' expired while closed");
        assertThat(outcomes.get("binaryKeys")).isEqualTo(PASSED);
    }

    @Test
    @DisplayName("a log that ignores checksums fails the flipped-bit test, not the torn-tail test")
    void ignoredChecksums() {
        Map<String, String> outcomes = run(IgnoresChecksumsRun.class,
                "DamagedFiles#flippedBitRefused", "DamagedFiles#writesAfterATornTailAreKept");
        assertThat(outcomes.get("flippedBitRefused")).startsWith("FAILED").contains("opening cellar.log must fail");
        assertThat(outcomes.get("writesAfterATornTailAreKept")).isEqualTo(PASSED);
    }

    @Test
    @DisplayName("a log that leaves a torn batch after a failed write fails both fault tests")
    void forgottenFailedWrites() {
        Map<String, String> outcomes = run(ForgetsFailedWritesRun.class,
                "FailedWrites#diskFull", "FailedWrites#writeError", "RoundTrip#lastWriteWins");
        assertThat(outcomes.get("diskFull")).startsWith("FAILED").contains("checksum mismatch");
        assertThat(outcomes.get("writeError")).startsWith("FAILED").contains("key 'during-0': missing");
        assertThat(outcomes.get("lastWriteWins")).isEqualTo(PASSED);
    }

    /** Runs {@code Group#method} tests of the kit on {@code kitRun}; by method name, PASSED or the status and message. */
    private static Map<String, String> run(Class<? extends PersistenceConformance> kitRun,
            String... groupAndMethods) {
        LauncherDiscoveryRequestBuilder request = LauncherDiscoveryRequestBuilder.request();
        for (String groupAndMethod : groupAndMethods) {
            String[] parts = groupAndMethod.split("#");
            request.selectors(selectNestedMethod(List.of(kitRun), nested(parts[0]), parts[1]));
        }
        LauncherDiscoveryRequest built = request.build();
        Map<String, String> outcomes = new LinkedHashMap<>();
        LauncherFactory.create().execute(built, new TestExecutionListener() {
            @Override
            public void executionFinished(TestIdentifier test, TestExecutionResult result) {
                if (test.isTest() && test.getSource().orElse(null) instanceof MethodSource m) {
                    outcomes.put(m.getMethodName(), result.getStatus() == TestExecutionResult.Status.SUCCESSFUL ? PASSED
                            : result.getStatus() + ": " + result.getThrowable().map(Throwable::getMessage).orElse(""));
                }
            }
        });
        assertThat(outcomes).as("kit tests run").hasSize(groupAndMethods.length);
        return outcomes;
    }

    private static Class<?> nested(String group) {
        try {
            return Class.forName(PersistenceConformance.class.getName() + "$" + group);
        } catch (ClassNotFoundException e) {
            throw new AssertionError("no kit group " + group, e);
        }
    }

}
