package dev.cellar.conformance;

import java.lang.reflect.AnnotatedElement;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Applies {@link Require} to the kit's tests: a test whose requirements the backend does not meet
 * is reported as skipped, with the capability and the backend in the reason, so the number of
 * tests a backend does not run shows in every report.
 *
 * <p>Test methods are evaluated after their test instances exist, so the backend is read from
 * the enclosing {@link PersistenceConformance} instance; containers are always enabled.
 */
final class RequireExtension implements ExecutionCondition {

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        if (context.getTestMethod().isEmpty()) {
            return ConditionEvaluationResult.enabled("groups always run");
        }
        Optional<PersistenceConformance> kit = context.getTestInstances()
                .flatMap(instances -> instances.findInstance(PersistenceConformance.class));
        if (kit.isEmpty()) {
            // Not reachable with JUnit 5's lifecycle; PersistenceConformance checks again before each test.
            return ConditionEvaluationResult.enabled("backend not known yet");
        }
        String mismatch = mismatch(kit.get().backendUnderTest(), context.getRequiredTestMethod(),
                context.getRequiredTestClass());
        return mismatch == null ? ConditionEvaluationResult.enabled("requirements met")
                : ConditionEvaluationResult.disabled(mismatch);
    }

    /** Why the backend does not meet the requirements of {@code test}, or null when it does. */
    static String mismatch(PersistenceBackend backend, AnnotatedElement test, Class<?> testClass) {
        Set<Capability> present = EnumSet.noneOf(Capability.class);
        Set<Capability> absent = EnumSet.noneOf(Capability.class);
        List<AnnotatedElement> scopes = new ArrayList<>();
        scopes.add(test);
        for (Class<?> c = testClass; c != null; c = c.getEnclosingClass()) {
            scopes.add(c);
        }
        for (AnnotatedElement scope : scopes) {
            Require require = scope.getAnnotation(Require.class);
            if (require != null) {
                present.addAll(List.of(require.present()));
                absent.addAll(List.of(require.absent()));
            }
        }
        Set<Capability> has = backend.capabilities();
        Set<Capability> missing = EnumSet.copyOf(present);
        missing.removeAll(has);
        if (!missing.isEmpty()) {
            return backend + " lacks " + missing + ", which this test requires";
        }
        Set<Capability> unwanted = EnumSet.noneOf(Capability.class);
        for (Capability c : absent) {
            if (has.contains(c)) {
                unwanted.add(c);
            }
        }
        if (!unwanted.isEmpty()) {
            return backend + " has " + unwanted + "; this test checks the behaviour without it";
        }
        return null;
    }
}
