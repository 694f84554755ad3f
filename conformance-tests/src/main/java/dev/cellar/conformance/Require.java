package dev.cellar.conformance;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The capabilities a kit test needs the backend to have ({@link #present}) or to lack
 * ({@link #absent}). On a nested group it applies to every test of the group, together with the
 * tests' own.
 *
 * <p>When a backend does not match, the test is reported as skipped with the reason, never passed:
 * the count of such tests is visible in every report. For each capability whose absence has an
 * observable meaning, the kit holds a twin test with {@code absent} that checks the backend's
 * refusal instead (an error, state unchanged).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface Require {

    /** Capabilities the backend must have. */
    Capability[] present() default {};

    /** Capabilities the backend must not have. */
    Capability[] absent() default {};
}
