package dev.seqwatch.reliability;

import dev.seqwatch.cli.SeqwatchCli;
import dev.seqwatch.common.Label;
import dev.seqwatch.common.ProgressListener;
import dev.seqwatch.detect.DetectorRegistry;
import dev.seqwatch.ingest.EventImporter;
import dev.seqwatch.ingest.ImportOptions;
import dev.seqwatch.ingest.LabelImporter;
import dev.seqwatch.sequence.SequenceSet;
import dev.seqwatch.sequence.UserSequence;
import dev.seqwatch.store.EventDao;
import dev.seqwatch.store.LabelDao;
import dev.seqwatch.store.Workspace;
import dev.seqwatch.workflow.InvestigationService;
import dev.seqwatch.workflow.ModelService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static dev.seqwatch.reliability.ImportFuzzTest.q;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Hostile text is stored literally; label history is append-only and audited; pseudonymised imports keep no raw ids or key. */
class InjectionAuditPrivacyTest {

    private static String csvField(String s) {
        return '"' + s.replace("\"", "\"\"") + '"';
    }

    @Test
    void sqlHtmlAndScriptTextIsStoredAndReadBackLiterally(@TempDir Path dir) throws Exception {
        StringBuilder log = new StringBuilder("user_id,timestamp,action,item_id,category_id\n");
        List<String> texts = Hostile.TEXTS;
        for (int i = 0; i < texts.size(); i++) {
            String t = texts.get(i);
            log.append(csvField(t)).append(',').append(1_700_000_000 + i).append(',').append(csvField(t.length() > 128 ? "x" : t))
                    .append(',').append(csvField(t)).append(',').append(csvField(t)).append('\n');
        }
        Path f = dir.resolve("hostile.csv");
        Files.writeString(f, log, StandardCharsets.UTF_8);
        try (Workspace ws = Workspace.open(dir.resolve("ws"))) {
            var r = new EventImporter(ws).importFile(f, ImportOptions.defaults(), ProgressListener.NONE);
            assertThat(r.stored()).isEqualTo(texts.size());
            SequenceSet s = ws.read(c -> new EventDao().loadAll(c, ProgressListener.NONE));
            Set<String> users = new HashSet<>();
            for (UserSequence u : s.users()) {
                users.add(u.userId());
            }
            assertThat(users).containsExactlyInAnyOrderElementsOf(texts);
            InvestigationService inv = new InvestigationService(ws, "analyst'); DROP TABLE label; --");
            for (String t : texts) {
                inv.setLabel(t, true, "click_farming", t);
            }
            // the tables are all still there and hold exactly what was written
            SequenceSet stored = ws.read(c -> new EventDao().loadAll(c, ProgressListener.NONE));
            assertThat(stored.totalEvents()).isEqualTo(texts.size());
            for (String t : texts) {
                List<Label> h = inv.history(t);
                assertThat(h).hasSize(1);
                assertThat(h.get(0).note()).isEqualTo(t);
                assertThat(h.get(0).userId()).isEqualTo(t);
                assertThat(h.get(0).analyst()).isEqualTo("analyst'); DROP TABLE label; --");
                UserSequence one = stored.user(t);
                assertThat(one.length()).isEqualTo(1);
                assertThat(stored.itemName(one.item(0))).isEqualTo(t);
                assertThat(stored.categoryName(one.category(0))).isEqualTo(t);
            }
            // the workbench's queue and timeline read paths return them unchanged too
            ModelService svc = new ModelService(ws, DetectorRegistry.standard());
            int id = svc.train(ModelService.TrainRequest.of("markov"), null, ProgressListener.NONE).modelId();
            svc.score(id, ProgressListener.NONE);
            Set<String> queued = new HashSet<>();
            inv.loadQueue().users().forEach(u -> queued.add(u.userId()));
            assertThat(queued).containsExactlyInAnyOrderElementsOf(texts);
            for (String t : texts) {
                assertThat(inv.timeline(id, t).steps()).singleElement().satisfies(st -> assertThat(st.item()).isEqualTo(t));
            }
        }
    }

    @Test
    void labelHistoryCannotBeChangedOrDeletedEvenWithSql(@TempDir Path dir) throws Exception {
        try (Workspace ws = Workspace.open(dir.resolve("ws"))) {
            InvestigationService inv = new InvestigationService(ws, LabelImporter.defaultAnalyst());
            Instant before = Instant.now().minusSeconds(1);
            inv.setLabel("u1", true, "scripted_bot", "first");
            inv.setLabel("u1", false, null, "second thoughts");
            Path f = dir.resolve("labels.csv");
            Files.writeString(f, "user_id,label\nu2,fraud\nu3,0\n");
            new LabelImporter(ws).importFile(f, LabelImporter.defaultAnalyst());
            for (String sql : new String[]{"UPDATE label SET label = 'normal'", "UPDATE label SET analyst = 'someone else' WHERE user_id = 'u1'",
                    "DELETE FROM label", "DELETE FROM label WHERE user_id = 'u2'", "MERGE INTO label KEY (id) SELECT id, user_id, 'normal', "
                    + "NULL, note, analyst, created_at, supersedes FROM label"}) {
                assertThatThrownBy(() -> ws.write(c -> {
                    try (Statement s = c.createStatement()) {
                        return s.executeUpdate(sql);
                    }
                })).as(sql).hasStackTraceContaining("append-only");
            }
            List<Label> all = ws.read(c -> new LabelDao().all(c));
            assertThat(all).hasSize(4);
            Instant after = Instant.now().plusSeconds(1);
            for (Label l : all) {
                assertThat(l.analyst()).isEqualTo(System.getProperty("user.name"));
                assertThat(l.createdAt()).isBetween(before, after);
            }
            assertThat(inv.history("u1")).extracting(Label::note).containsExactly("first", "second thoughts");
            assertThat(inv.currentLabels().get("u1").fraud()).isFalse();
        }
        // the command line has no way to edit or delete labels: only the append-only "labels" command
        StringWriter out = new StringWriter();
        SeqwatchCli.run(new PrintWriter(out), new PrintWriter(new StringWriter()), "--help");
        // (no sub-command named so; descriptions may say "unlabelled users")
        assertThat(out.toString()).doesNotContainPattern("(?im)^ {2}(delete|remove|unlabel|edit)\\S* ")
                .doesNotContainIgnoringCase("delete").doesNotContainIgnoringCase("edit");
    }

    @Test
    void pseudonymisedImportStoresNeitherRawIdsNorTheKey(@TempDir Path dir) throws Exception {
        byte[] key = "k3y-Seqwatch-Privacy-Test-9f8e7d6c5b4a".getBytes(StandardCharsets.US_ASCII);
        Path keyFile = Files.write(dir.resolve("key.bin"), key);
        StringBuilder log = new StringBuilder("user_id,timestamp,action\n");
        for (int i = 0; i < 300; i++) {
            log.append("alice.smith+").append(i % 30).append("@example.com,").append(1_700_000_000 + i).append(",view\n");
        }
        Path f = Files.writeString(dir.resolve("log.csv"), log);
        Path ws = dir.resolve("shared");
        int exit = SeqwatchCli.run(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()),
                "import", "--db", ws.toString(), "--input", f.toString(), "--pseudonymize-key-file", keyFile.toString(), "--quiet");
        assertThat(exit).isZero();
        try (Workspace w = Workspace.open(ws)) {
            SequenceSet all = w.read(c -> new EventDao().loadAll(c, ProgressListener.NONE));
            assertThat(all.size()).isEqualTo(30);
            assertThat(all.users()).noneMatch(u -> u.userId().contains("example"));
            // same id, same key: same pseudonym (so labels and later imports line up)
            assertThat(all.user(hmacPseudonym(key, "alice.smith+7@example.com")).length()).isEqualTo(10);
        }
        byte[] db = Files.readAllBytes(Path.of(ws + Workspace.SUFFIX));
        assertThat(indexOf(db, key)).as("key bytes in the workspace file").isEqualTo(-1);
        assertThat(indexOf(db, java.util.HexFormat.of().formatHex(key).getBytes(StandardCharsets.US_ASCII))).isEqualTo(-1);
        assertThat(indexOf(db, "example.com".getBytes(StandardCharsets.UTF_8))).as("raw ids in the workspace file").isEqualTo(-1);
        assertThat(indexOf(db, keyFile.toString().getBytes(StandardCharsets.UTF_8))).as("key file path").isEqualTo(-1);
    }

    /** The documented pseudonym, computed here independently: "p" + the first 128 bits of HMAC-SHA256, hex. */
    private static String hmacPseudonym(byte[] key, String id) throws Exception {
        javax.crypto.Mac m = javax.crypto.Mac.getInstance("HmacSHA256");
        m.init(new javax.crypto.spec.SecretKeySpec(key, "HmacSHA256"));
        return "p" + java.util.HexFormat.of().formatHex(m.doFinal(id.getBytes(StandardCharsets.UTF_8)), 0, 16);
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
