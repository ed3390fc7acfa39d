package dev.seqwatch.cli;

import dev.seqwatch.store.Workspace;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** A second Seqwatch process on an open workspace gets one line, not a stack trace; after close it gets in. */
class WorkspaceLockTest {
    @TempDir
    Path tmp;

    private record Run(int exit, String out, String err) {
    }

    private static Run seqwatchProcess(Path dir, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), "dev.seqwatch.Main"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile())
                .redirectOutput(dir.resolve("out.txt").toFile()).redirectError(dir.resolve("err.txt").toFile()).start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("child finished").isTrue();
        return new Run(p.exitValue(), Files.readString(dir.resolve("out.txt"), StandardCharsets.UTF_8),
                Files.readString(dir.resolve("err.txt"), StandardCharsets.UTF_8));
    }

    @Test
    void aSecondProcessIsToldInOneLine() throws Exception {
        Path in = Files.writeString(tmp.resolve("e.csv"), "user_id,timestamp,action\nu1,1511544070,pv\nu2,1511544071,pv\n");
        Path base = tmp.resolve("ws");
        Run locked;
        try (Workspace ws = Workspace.open(base)) {
            locked = seqwatchProcess(tmp, "import", "--db", base.toString(), "--input", in.toString(), "--quiet");
        }
        assertThat(locked.err()).isEqualTo("seqwatch: workspace already open by another Seqwatch: " + base + ".mv.db" + System.lineSeparator());
        assertThat(locked.exit()).isEqualTo(1);
        assertThat(locked.out()).isEmpty();

        Run free = seqwatchProcess(tmp, "import", "--db", base.toString(), "--input", in.toString(), "--quiet");
        assertThat(free.exit()).as(free.err()).isZero();
        assertThat(free.out()).contains("stored 2");
    }
}
