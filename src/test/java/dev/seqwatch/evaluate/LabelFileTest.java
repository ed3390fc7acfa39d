package dev.seqwatch.evaluate;

import dev.seqwatch.common.LabelSet;
import dev.seqwatch.common.UserFacingException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LabelFileTest {

    @Test
    void readsHeaderOrNotZeroOneAndTypes(@TempDir Path dir) throws Exception {
        Path a = Files.writeString(dir.resolve("a.csv"), "user_id,label,fraud_type,note\nu1,fraud,scripted_bot,fast\nu2,normal,,\nu1,normal,,\n");
        LabelSet s = LabelFile.read(a);
        assertThat(s.size()).isEqualTo(2);
        assertThat(s.isFraud("u1")).as("a later row replaces an earlier one").isFalse();
        Path b = Files.writeString(dir.resolve("b.tsv"), "u3\t1\tcoupon_abuse\nu4\t0\n");
        LabelSet t = LabelFile.read(b);
        assertThat(t.isFraud("u3")).isTrue();
        assertThat(t.get("u3").fraudType()).isEqualTo("coupon_abuse");
        assertThat(t.isFraud("u4")).isFalse();
    }

    @Test
    void badRowsSayWhere(@TempDir Path dir) throws Exception {
        Path a = Files.writeString(dir.resolve("a.csv"), "u1,fraud\nu2,perhaps\n");
        assertThatThrownBy(() -> LabelFile.read(a)).isInstanceOf(UserFacingException.class)
                .hasMessageContaining("line 2").hasMessageContaining("perhaps");
        Path b = Files.writeString(dir.resolve("b.csv"), "only-one-column\n");
        assertThatThrownBy(() -> LabelFile.read(b)).isInstanceOf(UserFacingException.class).hasMessageContaining("line 1");
        assertThatThrownBy(() -> LabelFile.read(dir.resolve("missing.csv"))).isInstanceOf(UserFacingException.class)
                .hasMessageContaining("no such labels file");
    }
}
