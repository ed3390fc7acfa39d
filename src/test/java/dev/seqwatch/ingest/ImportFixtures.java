package dev.seqwatch.ingest;

import dev.seqwatch.common.ProgressListener;
import dev.seqwatch.store.ImportDao;
import dev.seqwatch.store.Workspace;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** Small helpers for import tests: write fixture files, run imports, read back what was stored. */
final class ImportFixtures {
    private ImportFixtures() {
    }

    static Path utf8(Path dir, String name, String text) {
        return bytes(dir, name, text.getBytes(StandardCharsets.UTF_8));
    }

    static Path bytes(Path dir, String name, byte[] content) {
        try {
            return Files.write(dir.resolve(name), content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    static ImportResult run(Workspace ws, Path file, ImportOptions o) {
        return new EventImporter(ws).importFile(file, o, ProgressListener.NONE);
    }

    /** "line: reason" of every quarantined row of an import, in line order. */
    static List<String> rejections(Workspace ws, int importId) {
        return ws.read(c -> new ImportDao().rejected(c, importId, 10_000)).stream()
                .map(r -> r.lineNo() + ": " + r.reason()).toList();
    }

    /** Stored events as "user|ts|action|item|category|amount", in id order. */
    static List<String> events(Workspace ws) {
        return rows(ws, "SELECT user_id, ts, action, item_id, category_id, amount FROM event ORDER BY id");
    }

    /** Every row of every table an import writes, as text: equal snapshots mean an unchanged workspace. */
    static List<String> snapshot(Workspace ws) {
        List<String> out = new ArrayList<>();
        out.add("events");
        out.addAll(rows(ws, "SELECT * FROM event ORDER BY id"));
        out.add("imports");
        out.addAll(rows(ws, "SELECT * FROM import_batch ORDER BY id"));
        out.add("rejected");
        out.addAll(rows(ws, "SELECT * FROM rejected_row ORDER BY import_id, line_no"));
        out.add("indexes");
        out.addAll(rows(ws, "SELECT INDEX_NAME FROM INFORMATION_SCHEMA.INDEXES WHERE TABLE_NAME = 'EVENT' ORDER BY INDEX_NAME"));
        return out;
    }

    static List<String> rows(Workspace ws, String sql) {
        return ws.read(c -> {
            List<String> out = new ArrayList<>();
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
                ResultSetMetaData md = rs.getMetaData();
                while (rs.next()) {
                    StringBuilder sb = new StringBuilder();
                    for (int i = 1; i <= md.getColumnCount(); i++) {
                        sb.append(i > 1 ? "|" : "").append(rs.getString(i));
                    }
                    out.add(sb.toString());
                }
            }
            return out;
        });
    }

    static long count(Workspace ws, String table) {
        return Long.parseLong(rows(ws, "SELECT COUNT(*) FROM " + table).get(0));
    }
}
