package dev.seqwatch.ingest;

import dev.seqwatch.common.Label;
import dev.seqwatch.common.UserFacingException;
import dev.seqwatch.store.LabelDao;
import dev.seqwatch.store.StoreException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Statement;
import java.util.List;

import static dev.seqwatch.ingest.ImportFixtures.count;
import static dev.seqwatch.ingest.ImportFixtures.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LabelImporterTest extends FreshWorkspaceTest {
    private LabelImporter.Result load(Path f, String analyst) {
        return new LabelImporter(ws).importFile(f, analyst);
    }

    private List<Label> history(String user) {
        return ws.read(c -> new LabelDao().history(c, user));
    }

    @Test
    void readsAllLabelSpellingsWithTypesNotesAndWhoAndWhen() {
        Path f = utf8(tmp, "labels.csv", "user_id,label,fraud_type,note\n"
                + "u1,fraud,click_farming,\"seen on 3 shops, same device\"\n"
                + "u2,normal\n"
                + "u3,1,,\n"
                + "u4,0\n"
                + " u5 , FRAUD ,order_brushing\n");
        java.time.Instant start = java.time.Instant.now();
        LabelImporter.Result r = load(f, "ana");
        assertThat(r).isEqualTo(new LabelImporter.Result(5, 0, 5, 2));   // no events imported: all five users unknown
        List<Label> all = ws.read(c -> new LabelDao().all(c));
        assertThat(all).extracting(l -> l.userId() + "|" + l.fraud() + "|" + l.fraudType() + "|" + l.note() + "|" + l.analyst() + "|" + l.supersedes())
                .containsExactly(
                        "u1|true|click_farming|seen on 3 shops, same device|ana|0",
                        "u2|false|null|null|ana|0",
                        "u3|true|null|null|ana|0",
                        "u4|false|null|null|ana|0",
                        "u5|true|order_brushing|null|ana|0");
        assertThat(all).allSatisfy(l -> assertThat(l.createdAt()).isAfterOrEqualTo(start.minusSeconds(1)));
    }

    @Test
    void aSecondLabelIsANewRowAndTheOldOneStays() {
        load(utf8(tmp, "a.csv", "u1,normal\nu2,fraud,scripted_bot\n"), "ana");
        LabelImporter.Result r = load(utf8(tmp, "b.csv", "u1,fraud,account_takeover,after review\nu2,fraud,scripted_bot\n"), "ben");
        assertThat(r).isEqualTo(new LabelImporter.Result(2, 1, 2, 1));   // u1 changed, u2 confirmed
        List<Label> h = history("u1");
        assertThat(h).hasSize(2);
        assertThat(h.get(0).fraud()).isFalse();
        assertThat(h.get(0).analyst()).isEqualTo("ana");
        assertThat(h.get(1).fraud()).isTrue();
        assertThat(h.get(1).analyst()).isEqualTo("ben");
        assertThat(h.get(1).supersedes()).isEqualTo(h.get(0).id());
        assertThat(ws.read(c -> new LabelDao().current(c)).get("u1").fraudType()).isEqualTo("account_takeover");
        assertThat(count(ws, "label")).isEqualTo(4);
    }

    @Test
    void theLabelHistoryCannotBeRewrittenEvenWithSql() {
        load(utf8(tmp, "a.csv", "u1,fraud\n"), "ana");
        assertThatThrownBy(() -> ws.write(c -> {
            try (Statement s = c.createStatement()) {
                return s.executeUpdate("UPDATE label SET label = 'normal'");
            }
        })).isInstanceOf(StoreException.class).hasMessageContaining("table LABEL is append-only");
        assertThatThrownBy(() -> ws.write(c -> {
            try (Statement s = c.createStatement()) {
                return s.executeUpdate("DELETE FROM label");
            }
        })).isInstanceOf(StoreException.class).hasMessageContaining("append-only");
        assertThat(history("u1")).singleElement().extracting(Label::fraud).isEqualTo(true);
    }

    @Test
    void oneBadLineRefusesTheWholeFileWithItsLineNumber() {
        load(utf8(tmp, "a.csv", "u0,normal\n"), "ana");
        String[][] cases = {
                {"user_id,label\nu1,fraud\nu2,suspicious\n", ":3: column 2: label 'suspicious' is not normal, fraud, 0 or 1"},
                {"u1,fraud\nu2\n", ":2: column 2: label '' is not normal, fraud, 0 or 1"},
                {"u1,fraud\n,fraud\n", ":2: column 1: missing user id"},
                {"u1,fraud\n" + "x".repeat(257) + ",fraud\n", ":2: column 1: user id longer than 256 characters"},
                {"u1,normal,click_farming\n", ":1: column 3: a normal label cannot have a fraud type ('click_farming')"},
                {"u1,fraud,a,b,c\n", ":1: expected user_id,label[,fraud_type[,note]], found 5 columns"},
                {"u1,fraud," + "t".repeat(65) + "\n", ":1: column 3: fraud type longer than 64 characters"},
                {"u1,fraud,t,\"" + "n".repeat(4097) + "\"\n", ":1: column 4: note longer than 4096 characters"},
                {"u1,fraud\n\"u2,fraud\n", ":2: column 2: label '' is not normal, fraud, 0 or 1"},
        };
        int i = 0;
        for (String[] c : cases) {
            Path f = utf8(tmp, "bad" + i++ + ".csv", c[0]);
            assertThatThrownBy(() -> load(f, "ana")).as(c[0]).isInstanceOf(UserFacingException.class).hasMessage(f + c[1]);
        }
        assertThat(count(ws, "label")).isEqualTo(1);
    }

    @Test
    void emptyAndHeaderOnlyFilesAreRefused() {
        Path empty = utf8(tmp, "e.csv", "");
        assertThatThrownBy(() -> load(empty, "ana")).hasMessage(empty + ": no labels in the file");
        Path header = utf8(tmp, "h.csv", "user_id,label\n");
        assertThatThrownBy(() -> load(header, "ana")).hasMessage(header + ": no labels in the file");
        Path missing = tmp.resolve("nope.csv");
        assertThatThrownBy(() -> load(missing, "ana")).hasMessage(missing + ": no such file");
        assertThat(count(ws, "label")).isZero();
    }

    @Test
    void aByteOrderMarkDoesNotBecomePartOfTheFirstUserId() {
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        Path f = ImportFixtures.bytes(tmp, "bom.csv", ImportFixtures.concat(bom, "u1,fraud\nu2,normal\n".getBytes(StandardCharsets.UTF_8)));
        load(f, "ana");
        assertThat(history("u1")).hasSize(1);
        Path g = ImportFixtures.bytes(tmp, "bom-header.csv", ImportFixtures.concat(bom, "user_id,label\nu3,fraud\n".getBytes(StandardCharsets.UTF_8)));
        assertThat(load(g, "ana").appended()).isEqualTo(1);
    }
}
