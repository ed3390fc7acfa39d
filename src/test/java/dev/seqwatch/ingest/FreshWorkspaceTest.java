package dev.seqwatch.ingest;

import dev.seqwatch.store.Workspace;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** Base of the ingest tests: every test gets a new empty workspace in its own temporary folder. */
abstract class FreshWorkspaceTest {
    @TempDir
    Path tmp;
    Workspace ws;

    @BeforeEach
    void open() {
        ws = Workspace.open(tmp.resolve("ws"));
    }

    @AfterEach
    void close() {
        ws.close();
    }
}
