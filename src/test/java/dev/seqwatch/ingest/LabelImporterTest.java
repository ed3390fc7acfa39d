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
    void theGeneratorsTruthFileWithItsRingColumnImportsItsFourLabelColumns() {
        Path f = utf8(tmp, "truth.csv", "user_id,label,fraud_type,note,ring\n"
                + "u1,fraud,click_farming,ring 0,click_farming-0\nu2,normal,,,\n");
        assertThat(load(f, "ana").appended()).isEqualTo(2);
        assertThat(ws.read(c -> new LabelDao().current(c)).get("u1").note()).isEqualTo("ring 0");
        Path other = utf8(tmp, "other.csv", "user_id,label,fraud_type,note,shop\nu1,fraud,a,b,c\n");
        assertThatThrownBy(() -> load(other, "ana")).hasMessageContaining(":2: expected user_id,label[,fraud_type[,note]], found 5 columns");
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

    @Test
    void labelsOfUsersWithoutEventsAreStoredAndCounted() {
        ImportFixtures.run(ws, utf8(tmp, "log.csv", "user_id,timestamp,action\nu1,1700000000,view\nu2,1700000001,view\n"),
                ImportOptions.defaults());
        LabelImporter.Result r = load(utf8(tmp, "l.csv", "user_id,label\nu1,fraud\nghost,fraud\nu2,normal\nghost2,normal\nghost,fraud\n"), "ana");
        assertThat(r).isEqualTo(new LabelImporter.Result(5, 0, 2, 3));   // ghost (lines 3 and 6) and ghost2; first on line 3
        assertThat(load(utf8(tmp, "k.csv", "u1,normal\n"), "ana")).isEqualTo(new LabelImporter.Result(1, 1, 0, 0));
    }

    @Test
    void nulControlAndInvisibleCharactersInIdsRefuseTheFile() {
        String[][] cases = {
                {"u1,fraud\nu\u00002,fraud\n", ":2: column 1: NUL byte in the user id"},
                {"u\u200B1,fraud\n", ":1: column 1: invisible character U+200B in the user id"},
                {"u1,fraud\n\uFEFFu2,normal\n", ":2: column 1: invisible character U+FEFF in the user id"},
                {"u\u202E1,fraud\n", ":1: column 1: invisible character U+202E in the user id"},
                {"u\u00071,fraud\n", ":1: column 1: control character U+0007 in the user id"},
                {"u1,fraud,click\u200Dfarm\n", ":1: column 3: invisible character U+200D in the fraud type"},
        };
        int i = 0;
        for (String[] c : cases) {
            Path f = utf8(tmp, "inv" + i++ + ".csv", c[0]);
            assertThatThrownBy(() -> load(f, "ana")).as(c[0]).isInstanceOf(UserFacingException.class).hasMessage(f + c[1]);
        }
        assertThat(count(ws, "label")).isZero();
    }

    @Test
    void directoriesDevicesAndBinaryFilesAreNamedForWhatTheyAre() throws Exception {
        Path dir = java.nio.file.Files.createDirectories(tmp.resolve("a-folder"));
        assertThatThrownBy(() -> load(dir, "ana")).hasMessage(dir + ": is a directory, not a label file");
        Path zero = Path.of("/dev/zero");
        if (java.nio.file.Files.exists(zero)) {
            assertThatThrownBy(() -> load(zero, "ana")).hasMessage("/dev/zero: is not a regular file (a device or a pipe?)");
        }
        byte[] junk = new byte[4096];
        new java.util.Random(7).nextBytes(junk);
        Path bin = ImportFixtures.bytes(tmp, "labels.bin", junk);
        assertThatThrownBy(() -> load(bin, "ana")).hasMessage(bin
                + ": not a text file (binary data near the start of the file); expected CSV lines user_id,label[,fraud_type[,note]]");
        assertThat(count(ws, "label")).isZero();
    }

    @Test
    void utf16LabelFilesAreReadWithOrWithoutAByteOrderMark() {
        String text = "user_id,label,fraud_type\nu1,fraud,caf\u00e9_ring\nu2,normal\n";
        byte[] le = text.getBytes(StandardCharsets.UTF_16LE);
        Path withBom = ImportFixtures.bytes(tmp, "le-bom.csv", ImportFixtures.concat(new byte[]{(byte) 0xFF, (byte) 0xFE}, le));
        assertThat(load(withBom, "ana").appended()).isEqualTo(2);
        Path be = ImportFixtures.bytes(tmp, "be.csv", text.getBytes(StandardCharsets.UTF_16BE));
        assertThat(load(be, "ben").appended()).isEqualTo(2);
        assertThat(history("u1")).extracting(Label::fraudType).containsExactly("caf\u00e9_ring", "caf\u00e9_ring");
    }

    @Test
    void theAnalystNameIsCheckedBeforeAnythingIsWritten() {
        Path f = utf8(tmp, "a.csv", "u1,fraud\n");
        assertThatThrownBy(() -> load(f, "a".repeat(300)))
                .isInstanceOf(UserFacingException.class).hasMessage("--analyst: the analyst name has 300 characters, at most 256");
        assertThatThrownBy(() -> load(f, "  ")).hasMessage("--analyst: the analyst name is empty");
        assertThatThrownBy(() -> load(f, "ana\u0000")).hasMessage("--analyst: NUL byte in the analyst name");
        assertThatThrownBy(() -> load(f, "an\u200Ba")).hasMessage("--analyst: invisible character U+200B in the analyst name");
        assertThat(count(ws, "label")).isZero();
        assertThat(load(f, "a".repeat(256)).appended()).isEqualTo(1);
    }
}
