package dev.seqwatch.ui;

import java.nio.file.Path;

/** Manual check: builds a scored test workspace in DIR and opens it (java -cp ... dev.seqwatch.ui.DevLauncher DIR). */
public final class DevLauncher {
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int users = args.length > 1 ? Integer.parseInt(args[1]) : 300;
        if (!java.nio.file.Files.exists(dir.resolve("test.mv.db"))) {
            TestWorkspaces.scored(dir, users).close();
        }
        String[] rest = java.util.Arrays.copyOfRange(args, 2, args.length);
        String[] all = new String[rest.length + 2];
        all[0] = "--open";
        all[1] = dir.resolve("test.mv.db").toString();
        System.arraycopy(rest, 0, all, 2, rest.length);
        WorkbenchLauncher.launch(all);
    }
}
