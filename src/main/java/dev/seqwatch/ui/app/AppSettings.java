package dev.seqwatch.ui.app;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * What the workbench remembers between runs (recent and last workspace, window layout, theme), in a
 * small JSON file {@code settings.json} under the Seqwatch home ({@code ~/.seqwatch}, or the
 * {@code seqwatch.home} system property). A damaged file is ignored rather than blocking startup.
 */
public final class AppSettings {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final int MAX_RECENT = 8;

    /** The stored values; public fields keep the JSON obvious. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public static final class Values {
        public List<String> recentWorkspaces = new ArrayList<>();
        public String lastWorkspace;
        public double windowX = Double.NaN;
        public double windowY = Double.NaN;
        public double windowWidth = 1400;
        public double windowHeight = 900;
        public boolean maximized;
        public double[] mainDividers = {0.29, 0.75};
        public boolean dark;
    }

    private final Path file;
    private final Values values;

    private AppSettings(Path file, Values values) {
        this.file = file;
        this.values = values;
    }

    public static Path home() {
        String h = System.getProperty("seqwatch.home");
        return h != null ? Path.of(h) : Path.of(System.getProperty("user.home"), ".seqwatch");
    }

    public static AppSettings load(Path home) {
        Path f = home.resolve("settings.json");
        Values v = new Values();
        if (Files.isRegularFile(f)) {
            try {
                v = JSON.readValue(f.toFile(), Values.class);
            } catch (IOException e) {
                System.err.println("seqwatch: ignoring unreadable settings " + f + ": " + e.getMessage());
            }
        }
        return new AppSettings(f, v);
    }

    public Values values() {
        return values;
    }

    /** Moves {@code workspace} to the top of the recent list and makes it the last workspace. */
    public void opened(Path workspace) {
        String p = workspace.toAbsolutePath().toString();
        values.recentWorkspaces.remove(p);
        values.recentWorkspaces.add(0, p);
        while (values.recentWorkspaces.size() > MAX_RECENT) {
            values.recentWorkspaces.remove(values.recentWorkspaces.size() - 1);
        }
        values.lastWorkspace = p;
    }

    public void forget(String workspace) {
        values.recentWorkspaces.remove(workspace);
        if (workspace.equals(values.lastWorkspace)) {
            values.lastWorkspace = null;
        }
    }

    public void save() {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling("settings.json.tmp");
            JSON.writeValue(tmp.toFile(), values);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            System.err.println("seqwatch: cannot save settings " + file + ": " + e.getMessage());
        }
    }
}
