package dev.seqwatch.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import dev.seqwatch.sequence.SequenceSetBuilder;
import dev.seqwatch.store.Workspace;
import dev.seqwatch.testing.TinySessions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Model and workspace files from outside: tampered, truncated, ZIP bombs, path-escaping entry names,
 * manifests naming other files, databases of other programs (with code in them). Each must end in a
 * {@link UserFacingException} (or, for harmless damage, a model that still scores exactly as the
 * original), nothing may be executed and nothing written outside.
 */
class UntrustedFilesTest {
    private static final List<String> DETECTORS = List.of("markov", "ngram", "lstm", "zscore", "iforest", "lof", "autoencoder", "ensemble");
    private static final Map<String, byte[]> MODELS = new LinkedHashMap<>();
    private static SequenceSet probe;
    private static int rejectedFiles;
    private static int loadedIntact;
    private static int forgedLoadedFinite;

    @TempDir
    static Path dir;

    @BeforeAll
    static void trainOneOfEach() throws Exception {
        DetectorRegistry r = DetectorRegistry.standard();
        SequenceSet train = tiny(1);
        probe = tiny(2);
        for (String name : DETECTORS) {
            Detector d = r.create(name);
            d.fit(train, new FitOptions(2, 3, false, LabelSet.empty(),
                    name.equals("ensemble") ? Map.of("members", "markov,zscore") : Map.of()), ProgressListener.NONE);
            Path f = dir.resolve(name + ".swm");
            d.save(f);
            MODELS.put(name, Files.readAllBytes(f));
        }
    }

    static SequenceSet tiny(long seed) {
        TinySessions.Session s = TinySessions.generate(40, 5, seed);
        SequenceSetBuilder b = new SequenceSetBuilder();
        long id = 1;
        for (TinySessions.Event e : s.events()) {
            b.add(id++, e.user(), e.ts(), e.action(), e.item(), e.category(), e.amount() == null ? Double.NaN : e.amount());
        }
        return b.build();
    }

    /** Loads {@code bytes} as a model file: refused clearly, or loaded and then identical to {@code original}. */
    private static void loadRefusedOrIntact(String what, byte[] bytes, byte[] original) throws Exception {
        Path box = Files.createTempDirectory(dir, "box");
        Path f = Files.createTempFile(box, "t-", ".swm");
        Files.write(f, bytes);
        Path orig = Files.write(box.resolve("orig.swm"), original);
        List<Path> before = listing(dir);
        try {
            Detector d = DetectorRegistry.standard().load(f);
            // harmless damage (e.g. in the ZIP's central directory, which a stream reader does not need)
            Detector ref = DetectorRegistry.standard().load(orig);
            Scores a = ref.score(probe, ProgressListener.NONE);
            Scores b = d.score(probe, ProgressListener.NONE);
            for (UserScores u : a.users()) {
                assertThat(b.user(u.userId()).score()).as("%s: a damaged model that loads must score as the original", what)
                        .isEqualTo(u.score());
            }
            loadedIntact++;
        } catch (UserFacingException e) {
            rejectedFiles++;
            assertThat(e.getMessage()).as(what).isNotBlank().hasSizeLessThan(2000);
        } catch (Throwable t) {
            throw new AssertionError(what + ": not a clear error: " + t, t);
        } finally {
            Files.delete(f);
        }
        assertThat(listing(dir)).as("%s: nothing written next to the model file", what).isEqualTo(before);
        assertThat(listing(box)).as("%s: nothing written next to the model file", what).containsExactly(orig);
        Files.delete(orig);
        Files.delete(box);
    }

    private static Path write(byte[] b) throws Exception {
        Path f = Files.createTempFile(Files.createDirectories(dir.resolve("box")), "orig-", ".swm");
        Files.write(f, b);
        return f;
    }

    private static List<Path> listing(Path d) throws Exception {
        try (var s = Files.list(d)) {
            return s.sorted().toList();
        }
    }

    @Test
    void truncatedModelFilesAreRefusedOrIntact() throws Exception {
        SplittableRandom rnd = new SplittableRandom(5);
        for (Map.Entry<String, byte[]> m : MODELS.entrySet()) {
            byte[] b = m.getValue();
            List<Integer> cuts = new ArrayList<>(List.of(0, 1, 4, 30, b.length / 2, b.length - 22, b.length - 1));
            for (int i = 0; i < 12; i++) {
                cuts.add(rnd.nextInt(b.length));
            }
            for (int cut : cuts) {
                loadRefusedOrIntact(m.getKey() + " cut at " + cut, java.util.Arrays.copyOf(b, Math.max(0, cut)), b);
            }
        }
    }

    @Test
    void tamperedBytesAreRefusedOrIntact() throws Exception {
        SplittableRandom rnd = new SplittableRandom(6);
        for (Map.Entry<String, byte[]> m : MODELS.entrySet()) {
            for (int i = 0; i < 25; i++) {
                byte[] b = m.getValue().clone();
                int at = rnd.nextInt(b.length);
                b[at] ^= (byte) (1 + rnd.nextInt(255));
                loadRefusedOrIntact(m.getKey() + " byte " + at + " flipped", b, m.getValue());
            }
        }
    }

    /**
     * Valid ZIPs with a rewritten manifest: every number and string in it made absurd, one at a time.
     * Harmless means: refused with a clear message, or loaded and scoring every probe user exactly as
     * the untampered model does. The integrity record makes every such edit a refusal.
     */
    @Test
    void tamperedManifestsAreRefusedOrHarmless() throws Exception {
        sweepManifests(false);
    }

    /**
     * The same edits with the checksums recomputed, as a forger would: the model may then score
     * differently (the forger made a different model), but it must be refused or load within the
     * parameter ranges and give finite scores, within bounded time and memory.
     */
    @Test
    void forgedManifestsAreRefusedOrScoreFinitely() throws Exception {
        sweepManifests(true);
    }

    private static void sweepManifests(boolean forged) throws Exception {
        for (Map.Entry<String, byte[]> m : MODELS.entrySet()) {
            Map<String, byte[]> entries = unzip(m.getValue());
            ObjectNode manifest = (ObjectNode) ModelFile.json().readTree(entries.get("manifest.json"));
            Path orig = write(m.getValue());
            Scores reference = DetectorRegistry.standard().load(orig).score(probe, ProgressListener.NONE);
            Files.delete(orig);
            List<String> paths = new ArrayList<>();
            collect(manifest, "", paths);
            for (String p : paths) {
                if (forged && p.startsWith("/integrity")) {
                    continue; // resealing rewrites it
                }
                for (String value : new String[]{"-1", "0", "2147483647", "1e300", "\"x\"", "[]", "null"}) {
                    ObjectNode copy = manifest.deepCopy();
                    set(copy, p, ModelFile.json().readTree(value));
                    Map<String, byte[]> e2 = new LinkedHashMap<>(entries);
                    e2.put("manifest.json", ModelFile.json().writeValueAsBytes(copy));
                    Path f = write(forged ? reseal(e2) : zip(e2));
                    String what = m.getKey() + " manifest " + p + " = " + value + (forged ? " (resealed)" : "");
                    try {
                        Scores s = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(20),
                                () -> DetectorRegistry.standard().load(f).score(probe, ProgressListener.NONE), what);
                        for (UserScores u : reference.users()) {
                            UserScores t = s.user(u.userId());
                            assertThat(t).as("%s: every user scored", what).isNotNull();
                            assertThat(Double.isFinite(t.score())).as("%s: finite score", what).isTrue();
                            if (!forged) {
                                assertThat(t.score()).as("%s: loads, so it must score as the original", what).isEqualTo(u.score());
                            }
                        }
                        if (forged) {
                            forgedLoadedFinite++;
                        } else {
                            loadedIntact++;
                        }
                    } catch (UserFacingException e) {
                        rejectedFiles++;
                        assertThat(e.getMessage()).as(what).isNotBlank().hasSizeLessThan(2000);
                    } catch (AssertionError e) {
                        throw e;
                    } catch (Throwable t) {
                        throw new AssertionError(what + ": not a clear error: " + t, t);
                    } finally {
                        Files.delete(f);
                    }
                }
            }
        }
    }

    @Test
    void zipBombsAreRefusedWithoutInflatingThem() throws Exception {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("manifest.json", ModelFile.json().writeValueAsBytes(ModelFile.newManifest("markov")));
        byte[] zeros = new byte[1 << 20];
        ByteArrayOutputStream bo = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(bo)) {
            z.putNextEntry(new ZipEntry("manifest.json"));
            z.write(entries.get("manifest.json"));
            z.putNextEntry(new ZipEntry("markov.bin"));
            for (int i = 0; i < 400; i++) { // 400 MB of zeros, about 400 KB deflated
                z.write(zeros);
            }
        }
        byte[] bomb = bo.toByteArray();
        Path f = write(bomb);
        Runtime rt = Runtime.getRuntime();
        assertThatThrownBy(() -> ModelFile.read(f)).isInstanceOf(UserFacingException.class).hasMessageContaining("ZIP bomb");
        assertThatThrownBy(() -> DetectorRegistry.standard().load(f)).isInstanceOf(UserFacingException.class);
        rejectedFiles += 2;
        // the same bomb as an ensemble member: nesting must not reset the limit
        ObjectNode em = ModelFile.newManifest("ensemble");
        ObjectNode params = em.putObject("params");
        params.putArray("members").add("markov");
        params.put("combination", "rank-average");
        Map<String, byte[]> outer = new LinkedHashMap<>();
        outer.put("manifest.json", ModelFile.json().writeValueAsBytes(em));
        outer.put("combination.bin", unzip(MODELS.get("ensemble")).get("combination.bin"));
        outer.put("member-0.swm", bomb);
        Path g = write(zip(outer));
        long used = rt.totalMemory() - rt.freeMemory();
        assertThatThrownBy(() -> DetectorRegistry.standard().load(g)).isInstanceOf(UserFacingException.class);
        rejectedFiles++;
        assertThat(rt.totalMemory() - rt.freeMemory() - used).as("heap grown by the bomb").isLessThan(300L << 20);
    }

    @Test
    void entryNamesThatLeaveTheFolderAreRefusedAndNothingIsWritten() throws Exception {
        Path outside = dir.getParent().resolve("seqwatch-escape-" + System.nanoTime() + ".txt");
        String[] names = {"../" + outside.getFileName(), "../../" + outside.getFileName(), outside.toString(),
                "sub/weights.f32", "..\\" + outside.getFileName(), "C:\\evil.bin", "./manifest.json", "", "a\u0000b"};
        Map<String, byte[]> base = unzip(MODELS.get("markov"));
        for (String n : names) {
            ByteArrayOutputStream bo = new ByteArrayOutputStream();
            try (ZipOutputStream z = new ZipOutputStream(bo)) {
                for (Map.Entry<String, byte[]> e : base.entrySet()) {
                    z.putNextEntry(new ZipEntry(e.getKey()));
                    z.write(e.getValue());
                }
                z.putNextEntry(new ZipEntry(n.isEmpty() ? "x/" : n));
                z.write("owned".getBytes(StandardCharsets.UTF_8));
            }
            Path f = write(bo.toByteArray());
            assertThatThrownBy(() -> DetectorRegistry.standard().load(f)).as(n).isInstanceOf(UserFacingException.class)
                    .hasMessageContaining("not allowed");
            rejectedFiles++;
        }
        assertThat(outside).doesNotExist();
    }

    @Test
    void manifestsNamingFilesOutsideAreNotFollowed() throws Exception {
        Path secret = dir.getParent().resolve("seqwatch-secret-" + System.nanoTime() + ".txt");
        Files.writeString(secret, "secret");
        try {
            // an ensemble whose member list points at a file path instead of a detector name
            Map<String, byte[]> e = unzip(MODELS.get("ensemble"));
            ObjectNode m = (ObjectNode) ModelFile.json().readTree(e.get("manifest.json"));
            ((ArrayNode) m.path("params").path("members")).set(0, ModelFile.json().getNodeFactory().textNode("../" + secret.getFileName()));
            m.put("file", secret.toString());
            m.put("weights", "../" + secret.getFileName());
            e.put("manifest.json", ModelFile.json().writeValueAsBytes(m));
            Path f = write(zip(e));
            assertThatThrownBy(() -> DetectorRegistry.standard().load(f)).isInstanceOf(UserFacingException.class)
                    .hasMessageNotContaining("secret\n");
            rejectedFiles++;
            // an ensemble holding an ensemble (recursion) is refused before loading it
            Map<String, byte[]> outer = unzip(MODELS.get("ensemble"));
            ObjectNode om = (ObjectNode) ModelFile.json().readTree(outer.get("manifest.json"));
            ((ArrayNode) om.path("params").path("members")).set(0, ModelFile.json().getNodeFactory().textNode("markov"));
            outer.put("manifest.json", ModelFile.json().writeValueAsBytes(om));
            outer.put("member-0.swm", MODELS.get("ensemble"));
            Path g = write(reseal(outer)); // with checksums recomputed, as a forger would
            assertThatThrownBy(() -> DetectorRegistry.standard().load(g)).isInstanceOf(UserFacingException.class)
                    .hasMessageContaining("expected 'markov'");
            rejectedFiles++;
        } finally {
            Files.delete(secret);
        }
    }

    @Test
    void anOldAutoencoderFileInDl4jFormatIsRefusedNotDeserialised() throws Exception {
        Map<String, byte[]> e = unzip(MODELS.get("autoencoder"));
        byte[] weights = e.remove("weights.f32");
        assertThat(weights).isNotNull();
        // DL4J's restore would run ObjectInputStream on this entry
        e.put("network.zip", zip(Map.of("configuration.json", "{}".getBytes(StandardCharsets.UTF_8),
                "preprocessor.bin", new byte[]{(byte) 0xAC, (byte) 0xED, 0, 5})));
        Path f = write(legacy(e)); // files of that time had no integrity record
        assertThatThrownBy(() -> DetectorRegistry.standard().load(f)).isInstanceOf(UserFacingException.class)
                .hasMessageContaining("train it again");
        rejectedFiles++;
    }

    // ------------------------------------------------------------------------------ workspaces

    @Test
    void anH2DatabaseOfAnotherProgramIsRefusedAndLeftUnchanged() throws Exception {
        Path db = dir.resolve("other");
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + db.toAbsolutePath(), "seqwatch", "");
             Statement s = c.createStatement()) {
            s.execute("CREATE TABLE customers (id INT PRIMARY KEY, name VARCHAR(100))");
            s.execute("INSERT INTO customers VALUES (1, 'Ada')");
        }
        assertThatThrownBy(() -> Workspace.open(db)).isInstanceOf(UserFacingException.class)
                .hasMessageContaining("another program");
        rejectedFiles++;
        // H2 itself may rewrite file pages on open/close, so compare content, not bytes: nothing of ours was added
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + db.toAbsolutePath(), "seqwatch", "");
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT LISTAGG(TABLE_NAME, ',') WITHIN GROUP (ORDER BY TABLE_NAME) "
                     + "FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA = 'PUBLIC'")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("CUSTOMERS");
        }
    }

    @Test
    void randomBytesOrTextNamedLikeAWorkspaceAreRefusedAndLeftUnchanged() throws Exception {
        SplittableRandom rnd = new SplittableRandom(9);
        List<byte[]> contents = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            byte[] b = new byte[1 + rnd.nextInt(64 << 10)];
            rnd.nextBytes(b);
            contents.add(b);
        }
        contents.add("user_id,timestamp,action\nu1,1700000000,view\n".getBytes(StandardCharsets.UTF_8));
        contents.add(MODELS.get("markov"));
        int i = 0;
        for (byte[] b : contents) {
            Path base = dir.resolve("junk" + i++);
            Path file = Path.of(base + Workspace.SUFFIX);
            Files.write(file, b);
            assertThatThrownBy(() -> Workspace.open(base)).isInstanceOf(UserFacingException.class)
                    .hasMessageContaining(file.toString());
            rejectedFiles++;
            assertThat(Files.readAllBytes(file)).as("file unchanged").isEqualTo(b);
        }
    }

    @Test
    void aDatabaseWithCodeInItIsRefusedBeforeAnythingRuns() throws Exception {
        Path marker = dir.resolve("executed-" + System.nanoTime());
        String[] attacks = {
            // a Java-source trigger H2 would compile and run on the first insert/select
            "CREATE TRIGGER evil BEFORE INSERT ON import_batch FOR EACH ROW AS $$org.h2.api.Trigger create() { "
                    + "try { java.nio.file.Files.writeString(java.nio.file.Path.of(\"" + marker + "\"), \"x\"); } "
                    + "catch (Exception e) { } return (c, o, n) -> { }; } $$",
            // a user function called from a default value
            "CREATE ALIAS EVIL AS $$String evil() throws Exception { java.nio.file.Files.writeString(java.nio.file.Path.of(\""
                    + marker + "\"), \"x\"); return \"x\"; } $$",
            // a built-in that writes files, hidden in a default
            "ALTER TABLE label ALTER COLUMN note SET DEFAULT FILE_WRITE('x', '" + marker + "')",
            // a view posing as a table
            "CREATE VIEW evil_view AS SELECT FILE_WRITE('x', '" + marker + "') FROM DUAL",
        };
        int n = 0;
        for (String attack : attacks) {
            Path ws = dir.resolve("booby" + n++);
            try (Workspace w = Workspace.open(ws)) {
                w.read(c -> null);
            }
            try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + ws.toAbsolutePath(), "seqwatch", "");
                 Statement s = c.createStatement()) {
                s.execute(attack);
            }
            Files.deleteIfExists(marker); // H2 compiles and runs a trigger's create() when it is created
            assertThatThrownBy(() -> Workspace.open(ws)).as(attack).isInstanceOf(UserFacingException.class)
                    .hasMessageContaining("not created by Seqwatch");
            rejectedFiles++;
            assertThat(marker).as("nothing executed: " + attack).doesNotExist();
        }
    }

    @org.junit.jupiter.api.AfterAll
    static void report() {
        System.out.println("untrusted files: " + rejectedFiles + " refused with a clear error, " + loadedIntact
                + " loaded and scored exactly as the original, " + forgedLoadedFinite
                + " forged (resealed) files loaded with finite scores");
    }

    // ------------------------------------------------------------------------------ zip helpers

    static Map<String, byte[]> unzip(byte[] b) throws Exception {
        Map<String, byte[]> out = new LinkedHashMap<>();
        try (ZipInputStream z = new ZipInputStream(new java.io.ByteArrayInputStream(b))) {
            ZipEntry e;
            while ((e = z.getNextEntry()) != null) {
                out.put(e.getName(), z.readAllBytes());
            }
        }
        return out;
    }

    /** The entries written as {@link ModelFile#write} does, with fresh checksums: what a forger sends. */
    static byte[] reseal(Map<String, byte[]> entries) throws Exception {
        Map<String, byte[]> e = new LinkedHashMap<>(entries);
        ObjectNode m = (ObjectNode) ModelFile.json().readTree(e.remove("manifest.json"));
        Path f = Files.createTempFile(dir, "reseal-", ".swm");
        try {
            ModelFile.write(f, m, e);
            return Files.readAllBytes(f);
        } finally {
            Files.delete(f);
        }
    }

    /** The entries as a model file written before integrity records existed (manifest without one). */
    static byte[] legacy(Map<String, byte[]> entries) throws Exception {
        Map<String, byte[]> e = new LinkedHashMap<>(entries);
        ObjectNode m = (ObjectNode) ModelFile.json().readTree(e.get("manifest.json"));
        m.remove("integrity");
        e.put("manifest.json", ModelFile.json().writeValueAsBytes(m));
        return zip(e);
    }

    static byte[] zip(Map<String, byte[]> entries) throws Exception {
        ByteArrayOutputStream bo = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(bo)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                z.putNextEntry(new ZipEntry(e.getKey()));
                z.write(e.getValue());
            }
        }
        return bo.toByteArray();
    }

    private static void collect(JsonNode n, String path, List<String> out) {
        if (n.isObject()) {
            n.fields().forEachRemaining(e -> collect(e.getValue(), path + "/" + e.getKey(), out));
        } else if (n.isArray()) {
            out.add(path);
            for (int i = 0; i < Math.min(n.size(), 2); i++) {
                collect(n.get(i), path + "/" + i, out);
            }
        } else if (n.isNumber() || n.isTextual()) {
            out.add(path);
        }
    }

    private static void set(ObjectNode root, String path, JsonNode value) {
        String[] parts = path.substring(1).split("/");
        JsonNode parent = root;
        for (int i = 0; i < parts.length - 1; i++) {
            parent = parent.isArray() ? parent.get(Integer.parseInt(parts[i])) : parent.get(parts[i]);
        }
        String last = parts[parts.length - 1];
        if (parent.isArray()) {
            ((ArrayNode) parent).set(Integer.parseInt(last), value);
        } else {
            ((ObjectNode) parent).set(last, value);
        }
    }

    private static String sha(Path f) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f)));
    }
}
