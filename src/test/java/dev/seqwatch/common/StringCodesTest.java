package dev.seqwatch.common;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StringCodesTest {
    @Test
    void codesAreDenseInFirstAppearanceOrderAndAgreeWithAHashMap() {
        StringCodes d = new StringCodes();
        Map<String, Integer> ref = new HashMap<>();
        SplittableRandom r = new SplittableRandom(3);
        for (int i = 0; i < 200_000; i++) { // many rehashes; repeats; strings with equal hash codes
            String s = switch (r.nextInt(3)) {
                case 0 -> "u" + r.nextInt(50_000);
                case 1 -> r.nextBoolean() ? "Aa" + r.nextInt(10) : "BB" + r.nextInt(10); // "Aa".hashCode() == "BB".hashCode()
                default -> "";
            };
            int expected = ref.computeIfAbsent(s, k -> ref.size());
            assertThat(d.code(s)).isEqualTo(expected);
        }
        assertThat(d.size()).isEqualTo(ref.size());
        ref.forEach((s, c) -> {
            assertThat(d.name(c)).isEqualTo(s);
            assertThat(d.find(s)).isEqualTo(c);
        });
        assertThat(d.find("never added")).isEqualTo(-1);
        assertThat(d.names()).hasSize(ref.size()).startsWith(d.name(0));
        assertThat(d.toArray()).hasSize(ref.size());
        assertThatThrownBy(() -> d.name(ref.size())).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void clearStartsOverAtCodeZero() {
        StringCodes d = new StringCodes(2);
        d.code("a");
        d.code("b");
        d.clear();
        assertThat(d.size()).isZero();
        assertThat(d.find("a")).isEqualTo(-1);
        assertThat(d.code("b")).isZero();
        assertThat(d.code("a")).isEqualTo(1);
    }
}
