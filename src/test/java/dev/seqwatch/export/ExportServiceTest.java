package dev.seqwatch.export;

import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import dev.seqwatch.common.ProgressListener;
import dev.seqwatch.common.UserFacingException;
import dev.seqwatch.detect.DetectorRegistry;
import dev.seqwatch.store.Workspace;
import dev.seqwatch.testing.TinySessions;
import dev.seqwatch.workflow.InvestigationService;
import dev.seqwatch.workflow.ModelService;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Exports on a tiny scored workspace whose ids and notes are hostile HTML. */
class ExportServiceTest {
    static final String EVIL_USER = "<script>alert('x')</script>";
    static final String EVIL_NOTE = "<img src=x onerror=alert(1)> & \"quoted\"";

    @TempDir
    static Path dir;
    static Workspace ws;
    static ExportService exports;
    static int modelId;

    @BeforeAll
    static void scoredWorkspace() {
        TinySessions.Session s = TinySessions.generate(30, 6, 3);
        // f0 is a scripted bot, which the Markov detector ranks high: give it a hostile id
        List<TinySessions.Event> ev = new ArrayList<>();
        for (TinySessions.Event e : s.events()) {
            ev.add(e.user().equals("f0") ? new TinySessions.Event(EVIL_USER, e.ts(), e.action(), e.item(), e.category(), e.amount()) : e);
        }
        List<String[]> labels = new ArrayList<>();
        for (String[] l : s.labels()) {
            labels.add(l[0].equals("f0") ? new String[]{EVIL_USER, l[1], l[2]} : l);
        }
        ws = Workspace.open(dir.resolve("ws"));
        TinySessions.store(ws, new TinySessions.Session(ev, labels), true);
        ModelService models = new ModelService(ws, DetectorRegistry.standard());
        modelId = models.train(new ModelService.TrainRequest("markov", 0, 1, true, Map.of(), true), null,
                ProgressListener.NONE).modelId();
        models.score(modelId, ProgressListener.NONE);
        // a second label row for the hostile user, with a hostile note
        new InvestigationService(ws, "=ana<b>").setLabel(EVIL_USER, true, "scripted_bot", EVIL_NOTE);
        exports = new ExportService(ws);
    }

    @AfterAll
    static void close() {
        ws.close();
    }

    @Test
    void flaggedCsvHasEveryUserAtOrAboveTheThresholdWithTopStepsAndLabels() throws Exception {
        ExportService.Context ctx = exports.context(ExportOptions.defaults());
        double t = ctx.users().get(7).score(); // a threshold that flags about the top 8
        Path out = dir.resolve("flagged.csv");
        int n = exports.writeFlaggedCsv(out, ExportOptions.defaults().withThresholds(t, Double.NaN), ProgressListener.NONE);
        List<CsvRecord> rows;
        try (CsvReader<CsvRecord> r = CsvReader.builder().ofCsvRecord(out)) {
            rows = r.stream().toList();
        }
        assertThat(rows.get(0).getFields()).startsWith("user_id", "score", "rank").contains("step3_expected", "label_note");
        long expected = ctx.users().stream().filter(u -> u.score() >= t).count();
        assertThat(n).isEqualTo(expected).isGreaterThanOrEqualTo(8);
        assertThat(rows).hasSize(n + 1);
        InvestigationService inv = new InvestigationService(ws, "t");
        for (int i = 1; i < rows.size(); i++) {
            CsvRecord r = rows.get(i);
            assertThat(Integer.parseInt(r.getField(2))).isEqualTo(i);
            assertThat(Double.parseDouble(r.getField(1))).isGreaterThanOrEqualTo(t * (1 - 1e-5));
            // the first top step is the user's highest step score
            double max = inv.timeline(modelId, r.getField(0)).steps().stream()
                    .mapToDouble(InvestigationService.TimelineStep::score).filter(x -> !Double.isNaN(x)).max().orElseThrow();
            assertThat(Double.parseDouble(r.getField(15))).isCloseTo(max, org.assertj.core.data.Offset.offset(max * 1e-5));
            assertThat(Double.parseDouble(r.getField(15))).isGreaterThanOrEqualTo(Double.parseDouble(r.getField(21)));
        }
        CsvRecord evil = rows.stream().filter(r -> r.getField(0).equals(EVIL_USER)).findFirst().orElseThrow();
        assertThat(evil.getField(6)).isEqualTo("fraud");
        assertThat(evil.getField(8)).as("CSV keeps text as it is").isEqualTo(EVIL_NOTE);
        assertThat(evil.getField(13)).isEqualTo("buy");
        assertThat(evil.getField(9)).isEqualTo("'=ana<b>");
    }

    @Test
    void labelHistoryCsvHasEveryRowAndMarksTheCurrentOne() throws Exception {
        Path out = dir.resolve("labels.csv");
        int n = exports.writeLabelHistoryCsv(out, ProgressListener.NONE);
        assertThat(n).isEqualTo(37); // 36 users + the relabelled hostile user
        List<CsvRecord> rows;
        try (CsvReader<CsvRecord> r = CsvReader.builder().ofCsvRecord(out)) {
            rows = r.stream().toList();
        }
        assertThat(rows).hasSize(38);
        List<CsvRecord> evil = rows.stream().filter(r -> r.getField(1).equals(EVIL_USER)).toList();
        assertThat(evil).hasSize(2);
        assertThat(evil.get(0).getField(8)).isEqualTo("false");
        assertThat(evil.get(1).getField(8)).isEqualTo("true");
        assertThat(evil.get(1).getField(7)).isEqualTo(evil.get(0).getField(0));
        assertThat(evil.get(1).getField(4)).isEqualTo(EVIL_NOTE);
        assertThat(evil.get(1).getField(5)).as("a formula-like cell is text in a spreadsheet").isEqualTo("'=ana<b>");
    }

    @Test
    void caseReportEscapesUserTextAndEmbedsRealCharts() throws Exception {
        Path out = dir.resolve("case.html");
        exports.writeCaseReport(EVIL_USER, out, ExportOptions.defaults(), ProgressListener.NONE);
        String html = Files.readString(out);
        assertThat(html).doesNotContain("<script").doesNotContain("<img src=x").doesNotContain("<b>");
        assertThat(html).contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;")
                .contains("&lt;img src=x onerror=alert(1)&gt; &amp; &quot;quoted&quot;")
                .contains("=ana&lt;b&gt;")
                .contains("markov").contains("Step-score threshold").contains("Precision / recall / F1");
        assertThat(html).contains("default-src 'none'");
        List<BufferedImage> images = images(html);
        assertThat(images).hasSizeGreaterThanOrEqualTo(3); // timeline, strip, legend
        assertThat(images.get(0).getWidth()).isEqualTo(1000);
        assertThat(distinctColours(images.get(0))).as("a drawn chart, not a blank image").isGreaterThan(10);
    }

    @Test
    void queueReportHasHeatmapFlaggedUsersAndMetrics() throws Exception {
        Path out = dir.resolve("queue.html");
        exports.writeQueueReport(out, ExportOptions.defaults(), ProgressListener.NONE);
        String html = Files.readString(out);
        assertThat(html).doesNotContain("<script").doesNotContain("<img src=x");
        assertThat(html).contains("Step-score heatmap").contains("Flagged users").contains("&lt;script&gt;")
                .contains("Metrics stored when the model was trained").contains("roc_auc");
        ExportService.Context ctx = exports.context(ExportOptions.defaults());
        assertThat(ctx.user().source()).contains("calibrated");
        assertThat(html).contains("Flagged (score \u2265 ");
        List<BufferedImage> images = images(html);
        assertThat(images.get(0).getHeight()).as("heatmap: 36 rows").isGreaterThan(400);
    }

    @Test
    void clearErrorsForUnknownUserMissingModelAndFolderTarget() {
        assertThatThrownBy(() -> exports.writeCaseReport("nobody", dir.resolve("x.html"), ExportOptions.defaults(), ProgressListener.NONE))
                .isInstanceOf(UserFacingException.class).hasMessageContaining("'nobody' has no score");
        assertThatThrownBy(() -> exports.writeFlaggedCsv(dir.resolve("y.csv"), ExportOptions.defaults().withModel(99), ProgressListener.NONE))
                .isInstanceOf(UserFacingException.class).hasMessageContaining("no model version 99");
        assertThatThrownBy(() -> exports.writeLabelHistoryCsv(dir, ProgressListener.NONE))
                .isInstanceOf(UserFacingException.class).hasMessageContaining("is a folder");
        try (Workspace empty = Workspace.open(dir.resolve("empty"))) {
            assertThatThrownBy(() -> new ExportService(empty).writeQueueReport(dir.resolve("q.html"), ExportOptions.defaults(), ProgressListener.NONE))
                    .isInstanceOf(UserFacingException.class).hasMessageContaining("no active model");
        }
    }

    @Test
    void csvTextCellsThatLookLikeFormulasStartWithAnApostrophe() {
        for (String f : List.of("=HYPERLINK(\"http://x\")", "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx")) {
            assertThat(SafeCsv.cell(f)).isEqualTo("'" + f);
        }
        assertThat(SafeCsv.cell("u123")).isEqualTo("u123");
        assertThat(SafeCsv.cell("a=b")).isEqualTo("a=b");
        assertThat(SafeCsv.cell(null)).isEmpty();
    }

    @Test
    void escapeCoversTheFiveCharactersAndDropsControlCharacters() {
        assertThat(Html.escape("<a href=\"x\">'&'</a>\u0000\u0007\ttab\nline"))
                .isEqualTo("&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;\ttab\nline");
        assertThat(Html.escape(null)).isEmpty();
    }

    static List<BufferedImage> images(String html) throws Exception {
        List<BufferedImage> out = new ArrayList<>();
        Matcher m = Pattern.compile("src=\"data:image/png;base64,([A-Za-z0-9+/=]+)\"").matcher(html);
        while (m.find()) {
            BufferedImage img = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(m.group(1))));
            assertThat(img).isNotNull();
            out.add(img);
        }
        return out;
    }

    private static int distinctColours(BufferedImage img) {
        java.util.Set<Integer> c = new java.util.HashSet<>();
        for (int y = 0; y < img.getHeight(); y += 3) {
            for (int x = 0; x < img.getWidth(); x += 3) {
                c.add(img.getRGB(x, y));
            }
        }
        return c.size();
    }
}
