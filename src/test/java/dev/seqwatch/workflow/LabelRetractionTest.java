package dev.seqwatch.workflow;

import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import dev.seqwatch.cli.SeqwatchCli;
import dev.seqwatch.common.Label;
import dev.seqwatch.common.ProgressListener;
import dev.seqwatch.common.UserFacingException;
import dev.seqwatch.detect.DetectorRegistry;
import dev.seqwatch.export.ExportService;
import dev.seqwatch.store.LabelDao;
import dev.seqwatch.store.Workspace;
import dev.seqwatch.testing.TinySessions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A retraction is a new audited row after which the user is unlabelled for every reader: the current
 * labels, training (fraud exclusion and the labelled-user count), the history export and the CLI's
 * {@code export labels}; the rows before it stay, and the history still refuses UPDATE and DELETE.
 */
class LabelRetractionTest {
    @TempDir
    Path dir;

    @Test
    void aRetractedUserIsUnlabelledEverywhereAndTheHistoryKeepsBothRows() throws Exception {
        Path file = dir.resolve("ws");
        TinySessions.Session s = TinySessions.generate(20, 4, 5);
        String fraudUser = s.labels().stream().filter(l -> l[1].equals("fraud")).findFirst().orElseThrow()[0];
        int labelled = s.labels().size();
        try (Workspace ws = Workspace.open(file)) {
            TinySessions.store(ws, s, true);
            InvestigationService inv = new InvestigationService(ws, "ana");
            assertThat(inv.currentLabels().isFraud(fraudUser)).isTrue();

            Label r = inv.retractLabel(fraudUser, "wrong user");
            assertThat(r.retraction()).isTrue();
            assertThat(r.kind()).isEqualTo("retracted");
            assertThat(inv.currentLabels().isLabelled(fraudUser)).isFalse();
            assertThat(inv.currentLabels().size()).isEqualTo(labelled - 1);
            List<Label> h = inv.history(fraudUser);
            assertThat(h).hasSize(2);
            assertThat(h.get(0).fraud()).isTrue();
            assertThat(h.get(1).retraction()).isTrue();
            assertThat(h.get(1).supersedes()).isEqualTo(h.get(0).id());
            assertThat(h.get(1).analyst()).isEqualTo("ana");
            assertThat(h.get(1).note()).isEqualTo("wrong user");
            assertThatThrownBy(() -> inv.retractLabel(fraudUser, null))
                    .isInstanceOf(UserFacingException.class).hasMessage(fraudUser + " has no label to retract");
            assertThat(inv.history(fraudUser)).hasSize(2);
            // the retraction row is as protected as any other
            assertThatThrownBy(() -> ws.write(c -> {
                try (Statement st = c.createStatement()) {
                    return st.executeUpdate("DELETE FROM label WHERE label = 'retracted'");
                }
            })).hasMessageContaining("append-only");

            // training: the retracted fraud user is neither left out as fraud nor counted as labelled
            ModelService models = new ModelService(ws, DetectorRegistry.standard());
            ModelService.TrainResult t = models.train(new ModelService.TrainRequest("markov", 0, 1, true, Map.of(), true),
                    null, ProgressListener.NONE);
            long fraudLeft = s.labels().stream().filter(l -> l[1].equals("fraud")).count() - 1;
            assertThat(t.excludedFraudUsers()).isEqualTo(fraudLeft);
            String trainedOn = ws.read(c -> new dev.seqwatch.store.ModelDao().list(c)).stream()
                    .filter(m -> m.id() == t.modelId()).findFirst().orElseThrow().trainedOnJson();
            assertThat(trainedOn).contains("\"labelled_users\":" + (labelled - 1));

            // labelled again later: current again, the history keeps all three rows
            inv.setLabel(fraudUser, false, null, null);
            assertThat(inv.currentLabels().isFraud(fraudUser)).isFalse();
            inv.retractLabel(fraudUser, null);
            assertThat(ws.read(c -> new LabelDao().current(c)).isLabelled(fraudUser)).isFalse();

            Path csv = dir.resolve("history.csv");
            int n = new ExportService(ws).writeLabelHistoryCsv(csv, ProgressListener.NONE);
            assertThat(n).isEqualTo(labelled + 3);
            assertHistoryCsv(csv, fraudUser);
        }
        // the CLI's export reads the same: every row, "retracted" rows, no current row for the user
        Path cliCsv = dir.resolve("cli.csv");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int rc = SeqwatchCli.run(new PrintWriter(out, true), new PrintWriter(err, true),
                "export", "labels", "--db", file.toString(), "--out", cliCsv.toString());
        assertThat(rc).as(err.toString()).isZero();
        assertHistoryCsv(cliCsv, fraudUser);
    }

    /** A workspace of schema version 4 keeps its label rows and their protection when it is migrated. */
    @Test
    void aVersionFourWorkspaceKeepsItsLabelsAndCanRetract() throws Exception {
        Path base = dir.resolve("v4");
        org.h2.jdbcx.JdbcDataSource ds = new org.h2.jdbcx.JdbcDataSource();
        ds.setURL("jdbc:h2:file:" + base.toAbsolutePath());
        ds.setUser("seqwatch");
        ds.setPassword("");
        org.flywaydb.core.Flyway.configure().dataSource(ds).locations("classpath:db/migration").target("4").load().migrate();
        try (java.sql.Connection c = ds.getConnection()) {
            new LabelDao().append(c, List.of(new LabelDao.NewLabel("a", true, "scripted_bot", "n", "old"),
                    new LabelDao.NewLabel("b", false, null, null, "old"), new LabelDao.NewLabel("a", false, null, null, "old")));
            try (Statement st = c.createStatement()) {
                st.execute("SHUTDOWN");
            }
        }
        try (Workspace ws = Workspace.open(base)) {
            List<Label> all = ws.read(c -> new LabelDao().all(c));
            assertThat(all).extracting(Label::kind).containsExactly("fraud", "normal", "normal");
            assertThat(all.get(0).fraudType()).isEqualTo("scripted_bot");
            assertThat(all.get(2).supersedes()).isEqualTo(all.get(0).id());
            Label r = ws.write(c -> new LabelDao().retract(c, "a", null, "ana"));
            assertThat(r.supersedes()).isEqualTo(all.get(2).id());
            assertThat(ws.read(c -> new LabelDao().current(c)).all()).extracting(Label::userId).containsExactly("b");
            assertThatThrownBy(() -> ws.write(c -> {
                try (Statement st = c.createStatement()) {
                    return st.executeUpdate("UPDATE label SET label = 'fraud'");
                }
            })).hasMessageContaining("append-only");
            assertThatThrownBy(() -> ws.write(c -> {
                try (Statement st = c.createStatement()) {
                    return st.executeUpdate("INSERT INTO label (user_id, label, analyst, created_at) "
                            + "VALUES ('c', 'maybe', 'x', CURRENT_TIMESTAMP)");
                }
            })).hasMessageContaining("LABEL_VALUE");
        }
    }

    private static void assertHistoryCsv(Path csv, String user) throws Exception {
        List<CsvRecord> rows;
        try (CsvReader<CsvRecord> r = CsvReader.builder().ofCsvRecord(csv)) {
            rows = r.stream().toList();
        }
        assertThat(rows.get(0).getField(2)).isEqualTo("label");
        assertThat(rows.get(0).getField(8)).isEqualTo("current");
        List<CsvRecord> mine = rows.stream().filter(r -> r.getField(1).equals(user)).toList();
        assertThat(mine).extracting(r -> r.getField(2)).containsExactly("fraud", "retracted", "normal", "retracted");
        assertThat(mine).extracting(r -> r.getField(8)).containsOnly("false");
        assertThat(mine.get(1).getField(4)).isEqualTo("wrong user");
        assertThat(mine.get(1).getField(7)).isEqualTo(mine.get(0).getField(0));
        // every other labelled user has exactly one current row
        long others = rows.stream().skip(1).filter(r -> !r.getField(1).equals(user)).count();
        assertThat(rows.stream().skip(1).filter(r -> r.getField(8).equals("true")).count()).isEqualTo(others);
    }
}
