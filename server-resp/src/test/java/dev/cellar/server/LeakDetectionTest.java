package dev.cellar.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.util.ResourceLeakDetector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The server turns Netty's sampling leak detector off unless a level is asked for. */
class LeakDetectionTest {
    private ResourceLeakDetector.Level before;

    @BeforeEach
    void remember() {
        before = ResourceLeakDetector.getLevel();
    }

    @AfterEach
    void restore() {
        ResourceLeakDetector.setLevel(before);
        System.clearProperty("io.netty.leakDetection.level");
    }

    @Test
    void offByDefault() {
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.SIMPLE);
        Main.configureLeakDetection();
        assertThat(ResourceLeakDetector.getLevel()).isEqualTo(ResourceLeakDetector.Level.DISABLED);
    }

    @Test
    void aLevelAskedForIsKept() {
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
        System.setProperty("io.netty.leakDetection.level", "paranoid");
        Main.configureLeakDetection();
        assertThat(ResourceLeakDetector.getLevel()).isEqualTo(ResourceLeakDetector.Level.PARANOID);
    }
}
