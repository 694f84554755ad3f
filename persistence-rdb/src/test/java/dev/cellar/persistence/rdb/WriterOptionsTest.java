package dev.cellar.persistence.rdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cellar.api.CellarClock;
import dev.cellar.api.CellarConfig;
import org.junit.jupiter.api.Test;

/** {@link RdbWriter.Options#from}: the RDB write settings by their Redis names, read by the RDB provider and the hybrid base. */
class WriterOptionsTest {

    private static RdbWriter.Options from(String... nameValue) {
        CellarConfig.Builder b = CellarConfig.builder();
        for (int i = 0; i < nameValue.length; i += 2) {
            b.set(nameValue[i], nameValue[i + 1]);
        }
        return RdbWriter.Options.from(b.build(), CellarClock.SYSTEM);
    }

    @Test
    void absentSettingsAreRedisDefaults() {
        RdbWriter.Options o = from();
        assertThat(o.compression()).isTrue();
        assertThat(o.checksum()).isTrue();
        assertThat(o.incrementalFsync()).isTrue();
        assertThat(o.listMaxListpackSize()).isEqualTo(-2);
        assertThat(o.keySaveDelayMicros()).isZero();
        assertThat(o.aofBase()).isFalse();
    }

    @Test
    void settingsAreRead() {
        RdbWriter.Options o = from("rdbcompression", "no", "rdbchecksum", "NO", "rdb-save-incremental-fsync", "no",
                "list-max-listpack-size", "128", "rdb-key-save-delay", "25", "cellar-used-memory", "123456");
        assertThat(o.compression()).isFalse();
        assertThat(o.checksum()).isFalse();
        assertThat(o.incrementalFsync()).isFalse();
        assertThat(o.listMaxListpackSize()).isEqualTo(128);
        assertThat(o.keySaveDelayMicros()).isEqualTo(25);
        assertThat(o.usedMemory()).isEqualTo(123456);
    }

    @Test
    void theOldNameOfTheListNodeSizeCounts() {
        assertThat(from("list-max-ziplist-size", "-3").listMaxListpackSize()).isEqualTo(-3);
        assertThat(from("list-max-ziplist-size", "-3", "list-max-listpack-size", "7").listMaxListpackSize())
                .isEqualTo(7);
    }

    @Test
    void aBadValueNamesTheSettingAndWhatWasExpected() {
        assertThatThrownBy(() -> from("rdbcompression", "maybe"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid 'rdbcompression' value 'maybe' (expected: yes or no)");
        assertThatThrownBy(() -> from("list-max-listpack-size", "big"))
                .hasMessage("invalid 'list-max-listpack-size' value 'big' (expected: an integer)");
        assertThatThrownBy(() -> from("rdb-key-save-delay", "99999999999"))
                .hasMessage("invalid 'rdb-key-save-delay' value '99999999999' (expected: an integer)");
    }
}
