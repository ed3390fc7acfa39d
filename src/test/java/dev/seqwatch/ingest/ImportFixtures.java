package dev.seqwatch.ingest;

import dev.seqwatch.common.ProgressListener;
import dev.seqwatch.store.EventBlock;
import dev.seqwatch.store.EventDao;
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

    /**
     * Stored events of finished imports as "user|ts|action|item|category|amount" (null for absent), in
     * storage order (blocks group events by user, so not in file order).
     */
    static List<String> events(Workspace ws) {
        return ws.read(c -> {
            EventDao dao = new EventDao();
            List<String> out = new ArrayList<>();
            for (EventDao.BlockRef r : dao.blocks(c)) {
                EventBlock b = dao.block(c, r);
                for (int u = 0; u < b.users(); u++) {
                    for (int k = b.userStart[u]; k < b.userStart[u + 1]; k++) {
                        out.add(b.userIds[u] + "|" + b.ts[k] + "|" + b.actionNames[b.action[k]] + "|" + b.itemName(k) + "|"
                                + b.categoryName(k) + "|" + (Double.isNaN(b.amount[k]) ? "null" : String.valueOf(b.amount[k])));
                    }
                }
            }
            return out;
        });
    }

    static long eventCount(Workspace ws) {
        return ws.read(c -> new EventDao().countEvents(c));
    }

    /** Every row of every table an import writes, as text: equal snapshots mean an unchanged workspace. */
    static List<String> snapshot(Workspace ws) {
        List<String> out = new ArrayList<>();
        out.add("event blocks");
        out.addAll(rows(ws, "SELECT * FROM event_block ORDER BY import_id, block_no"));
        out.addAll(rows(ws, "SELECT * FROM event_block_data ORDER BY import_id, block_no"));
        out.add("imports");
        out.addAll(rows(ws, "SELECT * FROM import_batch ORDER BY id"));
        out.add("rejected");
        out.addAll(rows(ws, "SELECT * FROM rejected_row ORDER BY import_id, line_no"));
        out.add("indexes");
        out.addAll(rows(ws, "SELECT TABLE_NAME || '.' || INDEX_NAME FROM INFORMATION_SCHEMA.INDEXES "
                + "WHERE TABLE_SCHEMA = 'PUBLIC' ORDER BY 1"));
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
