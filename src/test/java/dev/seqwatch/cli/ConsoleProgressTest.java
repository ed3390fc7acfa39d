package dev.seqwatch.cli;

import dev.seqwatch.common.CancelledException;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConsoleProgressTest {
    @Test
    void printsThrottledProgressAndCancels() {
        StringWriter err = new StringWriter();
        try (ConsoleProgress p = new ConsoleProgress(new PrintWriter(err, true))) {
            p.progress(0, "start");
            p.progress(0.5, "half"); // within a second of the last line: dropped
            p.progress(1, "done");   // 100% always printed
            p.metric("loss", 3, 0.25);
            assertThat(p.isCancelled()).isFalse();
            p.cancel();
            assertThatThrownBy(p::checkCancelled).isInstanceOf(CancelledException.class);
        }
        assertThat(err.toString()).contains("0% start").contains("100% done").contains("loss[3] = 0.25000")
                .doesNotContain("half");
    }
}
