package dev.seqwatch.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.seqwatch.cli.SeqwatchCli;
import dev.seqwatch.common.LabelSet;
import dev.seqwatch.common.ProgressListener;
import dev.seqwatch.common.UserFacingException;
import dev.seqwatch.detect.Detector;
import dev.seqwatch.detect.DetectorRegistry;
import dev.seqwatch.detect.FitOptions;
import dev.seqwatch.detect.ModelFile;
import dev.seqwatch.detect.Scores;
import dev.seqwatch.detect.UserScores;
import dev.seqwatch.sequence.SequenceSet;
import dev.seqwatch.store.Workspace;
import dev.seqwatch.testing.TinySessions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Issue 17 items 6-8: parameters out of range (typed at {@code train}, or stored in a crafted model
 * file whose checksums the forger recomputed), non-finite weights and scores, and model ZIPs that
 * inflate beyond what their manifest declares. Each is refused with a message naming the parameter
 * or entry, before anything is allocated for it or stored; nothing hangs.
 */
class HostileModelsTest {
    @TempDir
    static Path dir;
    private static SequenceSet train;
    private static SequenceSet probe;
    private static final Map<String, byte[]> MODELS = new LinkedHashMap<>();

    @BeforeAll
    static void trainModels() throws Exception {
        train = UntrustedFilesTest.tiny(1);
        probe = UntrustedFilesTest.tiny(2);
        for (String name : List.of("lstm", "markov", "iforest", "autoencoder")) {
            Detector d = DetectorRegistry.standard().create(name);
            d.fit(train, new FitOptions(2, 3, false, LabelSet.empty(), Map.of()), ProgressListener.NONE);
            Path f = dir.resolve(name + ".swm");
            d.save(f);
            MODELS.put(name, Files.readAllBytes(f));
        }
    }

    private record Run(int status, String out, String err) {
    }

    private static Run cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = SeqwatchCli.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(status, out.toString(), err.toString());
    }

    static Map<String, byte[]> unzip(byte[] zip) throws Exception {
        Map<String, byte[]> m = new LinkedHashMap<>();
        try (ZipInputStream z = new ZipInputStream(new java.io.ByteArrayInputStream(zip))) {
            ZipEntry e;
            while ((e = z.getNextEntry()) != null) {
                m.put(e.getName(), z.readAllBytes());
            }
        }
        return m;
    }

    /** What a forger does: edits the manifest and entries, then writes them with fresh checksums. */
    static Path forge(String detector, java.util.function.Consumer<ObjectNode> manifestEdit,
                      java.util.function.Consumer<Map<String, byte[]>> entriesEdit) throws Exception {
        Map<String, byte[]> entries = unzip(MODELS.get(detector));
        ObjectNode manifest = (ObjectNode) ModelFile.json().readTree(entries.remove("manifest.json"));
        manifestEdit.accept(manifest);
        entriesEdit.accept(entries);
        Path f = Files.createTempFile(dir, "forged-" + detector, ".swm");
        ModelFile.write(f, manifest, entries);
        return f;
    }

    private static void refused(Path model, String... messageParts) {
        String what = model.getFileName() + " (expected: " + String.join(" / ", messageParts) + ")";
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            try {
                Detector d = DetectorRegistry.standard().load(model);
                d.score(probe, ProgressListener.NONE);
            } catch (UserFacingException e) {
                assertThat(e.getMessage()).as(what).contains(messageParts);
                return;
            }
            throw new AssertionError(what + ": loaded and scored, expected a refusal");
        }, what);
    }

    @Test
    void storedParametersOutOfRangeAreRefusedOnLoadWithoutLoopingOrAllocating() throws Exception {
        for (String value : new String[]{"0", "-1", "1", "2147483647"}) {
            refused(forge("lstm", m -> ((ObjectNode) m.get("params")).put("max_len", Long.parseLong(value)), e -> { }),
                    "max_len");
        }
        refused(forge("lstm", m -> ((ObjectNode) m.get("params")).put("top_k", 100_000_000), e -> { }), "top_k");
        refused(forge("lstm", m -> ((ObjectNode) m.get("params")).put("top_k", -1), e -> { }), "top_k");
        refused(forge("lstm", m -> ((ObjectNode) m.get("params")).put("hidden", 100_000), e -> { }), "hidden");
        refused(forge("markov", m -> ((ObjectNode) m.get("params")).put("alpha", -1), e -> { }), "alpha");
        refused(forge("iforest", m -> ((ObjectNode) m.get("params")).put("trees", 0), e -> { }), "trees");
    }

    @Test
    void nonFiniteOrHugeWeightsAreRefused() throws Exception {
        for (float bad : new float[]{Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 3e38f}) {
            refused(forge("lstm", m -> { }, e -> {
                byte[] w = e.get("params.f32").clone();
                ByteBuffer.wrap(w).order(ByteOrder.LITTLE_ENDIAN).putFloat(4 * 7, bad);
                e.put("params.f32", w);
            }), "LSTM model file is corrupt: weight 7 is " + bad);
        }
        // a supervised head with a "NaN" weight, a short weight array, a zero std
        refused(forge("lstm", m -> {
            ObjectNode h = m.putObject("supervised_head");
            h.putArray("mean").add(0.0);
            h.putArray("std").add(1.0);
            h.putArray("w").add("NaN").add(0.0);
        }, e -> { }), "supervised head", "is not a number");
        refused(forge("lstm", m -> {
            ObjectNode h = m.putObject("supervised_head");
            h.putArray("mean").add(0.0).add(1.0);
            h.putArray("std").add(1.0).add(1.0);
            h.putArray("w").add(1.0);
        }, e -> { }), "supervised head has 2 means, 2 stds and 1 weights (expected 3)");
        refused(forge("lstm", m -> {
            ObjectNode h = m.putObject("supervised_head");
            h.putArray("mean").add(0.0);
            h.putArray("std").add(0.0);
            h.putArray("w").add(1.0).add(0.0);
        }, e -> { }), "std must be positive");
        // a scaler column with scale 0 (the feature would divide by zero) and one with NaN
        for (double bad : new double[]{0.0, Double.NaN}) {
            refused(forge("iforest", m -> { }, e -> {
                byte[] s = e.get("scaler.bin").clone();
                int dim = ByteBuffer.wrap(s).getInt(0);
                // layout (DataOutputStream, big endian): int n, n medians, int n, n scales
                ByteBuffer.wrap(s).putDouble(4 + 8 * dim + 4, bad);
                e.put("scaler.bin", s);
            }), "scaler column 0");
        }
        for (float bad : new float[]{Float.NaN, 1e30f}) {
            refused(forge("autoencoder", m -> { }, e -> {
                byte[] w = e.get("weights.f32").clone();
                ByteBuffer.wrap(w).order(ByteOrder.LITTLE_ENDIAN).putFloat(0, bad);
                e.put("weights.f32", w);
            }), "damaged autoencoder model");
        }
    }

    @Test
    void nonFiniteScoresAreNeverPassedOn() {
        for (double bad : new double[]{Double.NaN, Double.POSITIVE_INFINITY}) {
            assertThatThrownBy(() -> new Scores("x", List.of(), 0, List.of(new UserScores("u1", bad, new double[]{1.0}, null))))
                    .isInstanceOf(UserFacingException.class)
                    .hasMessageContaining("the x model gave user u1 the score " + bad);
        }
        assertThatThrownBy(() -> new Scores("x", List.of(), 0,
                List.of(new UserScores("u1", 2.0, new double[]{1.0, Double.NEGATIVE_INFINITY}, null))))
                .isInstanceOf(UserFacingException.class).hasMessageContaining("step 2 of user u1");
        // a step without a score (NaN) is allowed
        assertThat(new Scores("x", List.of(), 0, List.of(new UserScores("u1", 2.0, new double[]{Double.NaN}, null)))
                .users()).hasSize(1);
    }

    @Test
    void trainingParametersOutOfRangeAreRefusedAndNothingIsStored() throws Exception {
        Path db = dir.resolve("train-ws");
        try (Workspace ws = TinySessions.openFresh(db)) {
            TinySessions.store(ws, TinySessions.generate(30, 4, 9), false);
        }
        String[][] cases = {
                {"lstm", "max_len=0", "max_len"}, {"lstm", "hidden=0", "hidden"}, {"lstm", "hidden=100000", "hidden"},
                {"lstm", "batch=0", "batch"}, {"lstm", "lr=NaN", "lr"}, {"lstm", "top_k=1e8", "top_k"},
                {"lstm", "hiden=32", "hiden"}, {"markov", "alpha=-2", "alpha"}, {"iforest", "trees=0", "trees"}};
        for (String[] c : cases) {
            Path out = dir.resolve("m-" + c[1].replaceAll("[^a-z0-9]", "_") + ".swm");
            Run r = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> cli("train", "--db", db.toString(),
                    "--detector", c[0], "--param", c[1], "--epochs", "1", "--model-out", out.toString()));
            assertThat(r.status()).as(c[1]).isNotZero();
            assertThat(r.err()).as(c[1]).contains(c[2]).doesNotContain("internal error").doesNotContain("Exception");
            assertThat(out).as(c[1] + ": no model file written").doesNotExist();
        }
        Run models = cli("models", "--db", db.toString());
        assertThat(models.out()).as("no version stored by a refused training").startsWith("no model versions yet");
    }

    /** Item 8: a model ZIP may inflate only to what its manifest declares, checked as it inflates. */
    @Test
    void entriesLargerThanTheirManifestSaysAreRefusedAfterTheDeclaredBytes() throws Exception {
        Map<String, byte[]> entries = unzip(MODELS.get("markov"));
        String manifest = new String(entries.get("manifest.json"), java.nio.charset.StandardCharsets.UTF_8);
        ByteArrayOutputStream bo = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(bo)) {
            z.putNextEntry(new ZipEntry("manifest.json"));
            z.write(manifest.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                if (e.getKey().equals("manifest.json")) {
                    continue;
                }
                z.putNextEntry(new ZipEntry(e.getKey()));
                z.write(e.getValue());
                z.write(new byte[50 << 20]); // 50 MB of zeros after the declared bytes (about 50 KB deflated)
            }
        }
        Path f = Files.write(dir.resolve("grown.swm"), bo.toByteArray());
        Runtime rt = Runtime.getRuntime();
        System.gc();
        long before = rt.totalMemory() - rt.freeMemory();
        assertThatThrownBy(() -> ModelFile.read(f)).isInstanceOf(UserFacingException.class)
                .hasMessageContaining("is larger than the").hasMessageContaining("bytes its manifest says");
        assertThat(rt.totalMemory() - rt.freeMemory() - before).as("heap grown while refusing").isLessThan(40L << 20);

        // the manifest declares more than the heap bound: refused before any entry is inflated
        ObjectNode m = (ObjectNode) ModelFile.json().readTree(manifest);
        JsonNode declared = m.path("integrity").path("entries");
        String first = declared.fieldNames().next();
        ((ObjectNode) declared.get(first)).put("bytes", 1L << 40);
        entries.put("manifest.json", ModelFile.json().writeValueAsBytes(m));
        Path g = Files.write(dir.resolve("declares-too-much.swm"), UntrustedFilesTest.zip(entries));
        assertThatThrownBy(() -> ModelFile.read(g)).isInstanceOf(UserFacingException.class)
                .hasMessageContaining("the manifest declares").hasMessageContaining("at this heap size");
    }

    /**
     * Item 8 as reported: a model ZIP of about 1 MB that inflates, below the ZIP-bomb ratio, far beyond
     * what a 512 MB heap holds crashed {@code score} with OutOfMemoryError. Now the heap bound refuses it
     * with one line, in a fresh JVM at -Xmx512m, and the workspace gets no version.
     */
    @Test
    void aModelBombBelowTheRatioCapIsRefusedByTheHeapBoundInA512MbJvm() throws Exception {
        byte[] block = new byte[1 << 20];
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(3);
        for (int i = 0; i < block.length; i += 400) {
            block[i] = (byte) rnd.nextInt(256); // sparse noise: deflates about 100-200x, not 1000x
        }
        Map<String, byte[]> entries = unzip(MODELS.get("markov"));
        ObjectNode m = (ObjectNode) ModelFile.json().readTree(entries.get("manifest.json"));
        m.remove("integrity"); // an older file: only the ratio cap and the heap bound apply
        ByteArrayOutputStream bo = new ByteArrayOutputStream();
        int megabytes = 0;
        try (ZipOutputStream z = new ZipOutputStream(bo)) {
            z.putNextEntry(new ZipEntry("manifest.json"));
            z.write(ModelFile.json().writeValueAsBytes(m));
            z.putNextEntry(new ZipEntry("markov.bin"));
            for (; megabytes < 400; megabytes++) {
                z.write(block);
            }
        }
        byte[] bomb = bo.toByteArray();
        double ratio = (double) megabytes * (1 << 20) / bomb.length;
        assertThat(ratio).as("inflation ratio of the test bomb").isBetween(60.0, 199.0);
        Path f = Files.write(dir.resolve("bomb-" + bomb.length + ".swm"), bomb);
        Path db = dir.resolve("bomb-ws");
        try (Workspace ws = TinySessions.openFresh(db)) {
            TinySessions.store(ws, TinySessions.generate(10, 2, 4), false);
        }
        List<String> cmd = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-XX:TieredStopAtLevel=1", "-Djava.awt.headless=true", "-cp", System.getProperty("java.class.path"),
                "dev.seqwatch.Main", "score", "--db", db.toString(), "--model", f.toString()));
        Path err = Files.createTempFile(dir, "stderr", ".txt");
        Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertThat(p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS)).as("child finished").isTrue();
        String text = Files.readString(err);
        assertThat(p.exitValue()).as(text).isEqualTo(1);
        assertThat(text).contains(f + ": refused, model entry 'markov.bin' is larger than allowed")
                .doesNotContain("OutOfMemoryError").doesNotContain("internal error");
        assertThat(cli("models", "--db", db.toString()).out()).startsWith("no model versions yet");
    }
}
