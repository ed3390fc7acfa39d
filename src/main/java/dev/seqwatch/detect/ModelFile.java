package dev.seqwatch.detect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.seqwatch.common.UserFacingException;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * The self-contained model file every detector saves: a ZIP holding {@code manifest.json}
 * (format, detector, parameters, vocabulary, training summary, metrics) and flat binary entries
 * (e.g. network weights). It is read defensively: only flat entry names, bounded sizes and
 * compression ratios, no Java deserialisation, so a hostile file can neither escape its folder nor
 * exhaust memory. Loading needs neither the GUI nor H2, so batch jobs can score with it.
 *
 * <p>Integrity: {@link #write} puts the manifest first and records in it ({@code integrity}) the size
 * and SHA-256 of every entry and the SHA-256 of the rest of the manifest. {@link #read} then knows
 * every entry's size before inflating it: an entry may inflate only to the size the manifest declares,
 * and the declared total must fit under a bound tied to the heap ({@link #maxTotalBytes}), checked
 * before anything is allocated for it. Damage or an edit anywhere (a renamed vocabulary entry, a
 * changed parameter, a flipped weight) is refused. This detects damage and careless edits, not a
 * forger who recomputes the checksums: against a crafted file Seqwatch guarantees only that no code
 * runs, memory stays bounded, parameters are in range and scores are finite. Files without an
 * {@code integrity} object (written before it existed) are read under the heap bound and the ZIP-bomb
 * ratio alone.
 */
public final class ModelFile {
    public static final String FORMAT = "seqwatch-model";
    public static final int FORMAT_VERSION = 1;
    static final String MANIFEST = "manifest.json";
    static final String INTEGRITY = "integrity";
    private static final long MAX_ENTRY_BYTES = 1L << 30;
    private static final long MAX_TOTAL_BYTES = 2L << 30;
    private static final int MAX_ENTRIES = 256;
    private static final long MANIFEST_MAX_BYTES = 64L << 20;
    private static final long MAX_RATIO = 200;
    private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9_.-]{1,100}");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ObjectNode manifest;
    private final Map<String, byte[]> entries;
    /** Bytes on disk of the outermost file: nested models are held to the same expansion ratio. */
    private final long ratioBase;
    private final String source;

    private ModelFile(ObjectNode manifest, Map<String, byte[]> entries, long ratioBase, String source) {
        this.manifest = manifest;
        this.entries = entries;
        this.ratioBase = ratioBase;
        this.source = source;
    }

    public static ObjectNode newManifest(String detector) {
        ObjectNode m = JSON.createObjectNode();
        m.put("format", FORMAT);
        m.put("format_version", FORMAT_VERSION);
        m.put("detector", detector);
        m.put("created_at", java.time.Instant.now().toString());
        return m;
    }

    public static ObjectMapper json() {
        return JSON;
    }

    public ObjectNode manifest() {
        return manifest;
    }

    public String detector() {
        return manifest.path("detector").asText();
    }

    public byte[] entry(String name) {
        byte[] b = entries.get(name);
        if (b == null) {
            throw new UserFacingException("model file is missing its entry '" + name + "'");
        }
        return b;
    }

    public boolean hasEntry(String name) {
        return entries.containsKey(name);
    }

    /** Names of the binary entries (without the manifest), in file order. */
    public java.util.List<String> entryNames() {
        return java.util.List.copyOf(entries.keySet());
    }

    /** Writes this model (e.g. after adding metrics to its manifest) atomically to {@code file}. */
    public void writeTo(Path file) throws IOException {
        write(file, manifest, entries);
    }

    /** Writes atomically: a crash never leaves a half-written model under {@code file}. */
    public static void write(Path file, ObjectNode manifest, Map<String, byte[]> blobs) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, ".model-", ".tmp");
        try {
            ObjectNode sealed = manifest.deepCopy();
            sealed.remove(INTEGRITY);
            ObjectNode integrity = JSON.createObjectNode();
            integrity.put("manifest_sha256", sha256(JSON.writeValueAsBytes(sealed)));
            ObjectNode declared = integrity.putObject("entries");
            for (Map.Entry<String, byte[]> e : blobs.entrySet()) {
                ObjectNode d = declared.putObject(e.getKey());
                d.put("bytes", e.getValue().length);
                d.put("sha256", sha256(e.getValue()));
            }
            sealed.set(INTEGRITY, integrity);
            try (OutputStream out = Files.newOutputStream(tmp); ZipOutputStream zip = new ZipOutputStream(out)) {
                zip.putNextEntry(new ZipEntry(MANIFEST));
                zip.write(JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(sealed));
                zip.closeEntry();
                for (Map.Entry<String, byte[]> e : blobs.entrySet()) {
                    if (!SAFE_NAME.matcher(e.getKey()).matches() || e.getKey().equals(MANIFEST)) {
                        throw new IllegalArgumentException("bad model entry name " + e.getKey());
                    }
                    zip.putNextEntry(new ZipEntry(e.getKey()));
                    zip.write(e.getValue());
                    zip.closeEntry();
                }
            }
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    public static ModelFile read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new UserFacingException(file + ": no such model file");
        }
        try (InputStream in = Files.newInputStream(file)) {
            long size = Files.size(file);
            return parse(in, size, size, file.toString());
        } catch (IOException e) {
            throw new UserFacingException(file + ": cannot read model file: " + e.getMessage(), e);
        }
    }

    /** Reads a model held in memory (e.g. a version stored in a workspace); {@code name} is for messages. */
    public static ModelFile read(byte[] bytes, String name) {
        try {
            return parse(new java.io.ByteArrayInputStream(bytes), bytes.length, bytes.length, name);
        } catch (IOException e) {
            throw new UserFacingException(name + ": cannot read model: " + e.getMessage(), e);
        }
    }

    /**
     * A model stored as an entry of this one (an ensemble's members). It must be of detector
     * {@code expectedDetector}, and may expand only as far as the outer file's ratio allows, so
     * nesting can neither recurse nor multiply a ZIP bomb.
     */
    public ModelFile nested(String entryName, String expectedDetector) {
        byte[] b = entry(entryName);
        String name = source + "!" + entryName;
        ModelFile m;
        try {
            m = parse(new java.io.ByteArrayInputStream(b), b.length, ratioBase, name);
        } catch (IOException e) {
            throw new UserFacingException(name + ": cannot read model: " + e.getMessage(), e);
        }
        if (!m.detector().equals(expectedDetector)) {
            throw new UserFacingException(name + ": damaged model: holds detector '" + m.detector()
                    + "', expected '" + expectedDetector + "'");
        }
        return m;
    }

    /**
     * The most a model file may inflate to: an eighth of the heap this JVM may use (at least 16 MiB,
     * at most 2 GiB), so that the entries, the buffers that read them and the arrays a detector builds
     * from them fit (64 MiB at -Xmx512m).
     */
    static long maxTotalBytes() {
        return Math.min(MAX_TOTAL_BYTES, Math.max(16L << 20, Runtime.getRuntime().maxMemory() / 8));
    }

    private static ModelFile parse(InputStream in, long size, long ratioBase, String file) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        long total = 0;
        long compressedSize = Math.max(1, Math.min(size, ratioBase));
        long heapCap = maxTotalBytes();
        byte[] manifestBytes = null;
        JsonNode declared = null; // integrity/entries of a manifest that came first
        try (ZipInputStream zip = new ZipInputStream(in)) {
            ZipEntry e;
            while ((e = zip.getNextEntry()) != null) {
                String name = e.getName();
                if (!SAFE_NAME.matcher(name).matches()) {
                    throw new UserFacingException(file + ": not a Seqwatch model (entry name '"
                            + abbreviate(name) + "' is not allowed)");
                }
                if (entries.size() >= MAX_ENTRIES) {
                    throw new UserFacingException(file + ": not a Seqwatch model (too many entries)");
                }
                if (entries.containsKey(name) || (name.equals(MANIFEST) && manifestBytes != null)) {
                    throw new UserFacingException(file + ": not a Seqwatch model (entry '" + name + "' twice)");
                }
                long ratioLimit = MAX_RATIO * compressedSize + (1 << 20) - total;
                if (name.equals(MANIFEST)) {
                    manifestBytes = readBounded(zip, Math.min(MANIFEST_MAX_BYTES, heapCap - total), ratioLimit, file, name);
                    total += manifestBytes.length;
                    if (entries.isEmpty()) {
                        declared = declaredEntries(manifestBytes, heapCap - total, file);
                    }
                    continue;
                }
                byte[] data;
                if (declared != null) {
                    JsonNode d = declared.get(name);
                    if (d == null) {
                        throw new UserFacingException(file + ": damaged model: entry '" + name
                                + "' is not listed in its manifest");
                    }
                    long bytes = d.path("bytes").asLong();
                    data = readExactly(zip, bytes, Math.min(MAX_ENTRY_BYTES, Math.min(ratioLimit, heapCap - total)), file, name);
                } else {
                    data = readBounded(zip, Math.min(MAX_ENTRY_BYTES, heapCap - total), ratioLimit, file, name);
                }
                total += data.length;
                entries.put(name, data);
            }
        } catch (ZipException | java.io.EOFException | IllegalArgumentException e) {
            // IllegalArgumentException: ZipInputStream on an entry name that is not valid UTF-8
            throw new UserFacingException(file + ": not a Seqwatch model or truncated (" + e.getMessage() + ")", e);
        }
        if (manifestBytes == null) {
            throw new UserFacingException(file + ": not a Seqwatch model file (no manifest; truncated or another format)");
        }
        JsonNode m;
        try {
            m = JSON.readTree(manifestBytes);
        } catch (IOException e) {
            throw new UserFacingException(file + ": model manifest is not valid JSON: " + e.getMessage(), e);
        }
        if (!(m instanceof ObjectNode) || !FORMAT.equals(m.path("format").asText())) {
            throw new UserFacingException(file + ": not a Seqwatch model file");
        }
        int version = m.path("format_version").asInt(-1);
        if (version < 1 || version > FORMAT_VERSION) {
            throw new UserFacingException(file + ": model format version " + version
                    + " is not supported by this Seqwatch (supports up to " + FORMAT_VERSION + ")");
        }
        ObjectNode manifest = (ObjectNode) m;
        if (manifest.has(INTEGRITY)) {
            if (declared == null) {
                throw new UserFacingException(file + ": damaged model: its manifest is not the first entry");
            }
            verify(manifest, entries, file);
            manifest.remove(INTEGRITY);
        }
        return new ModelFile(manifest, entries, compressedSize, file);
    }

    /**
     * The {@code integrity/entries} object of a manifest read first, checked before any entry is
     * inflated: each size a non-negative integer and their sum within {@code room}. Null when the
     * manifest has no integrity object (an older file); a manifest that does not parse is reported
     * later, with the format checks.
     */
    private static JsonNode declaredEntries(byte[] manifestBytes, long room, String file) {
        JsonNode m;
        try {
            m = JSON.readTree(manifestBytes);
        } catch (IOException e) {
            return null;
        }
        if (m == null || !m.has(INTEGRITY)) {
            return null;
        }
        JsonNode entries = m.get(INTEGRITY).get("entries");
        if (entries == null || !entries.isObject()) {
            throw new UserFacingException(file + ": damaged model: its manifest's integrity record lists no entries");
        }
        long sum = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = entries.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode b = e.getValue().path("bytes");
            if (!b.isIntegralNumber() || !b.canConvertToLong() || b.asLong() < 0
                    || !e.getValue().path("sha256").isTextual()) {
                throw new UserFacingException(file + ": damaged model: the manifest's size or checksum of entry '"
                        + abbreviate(e.getKey()) + "' is not valid");
            }
            sum += Math.min(b.asLong(), MAX_TOTAL_BYTES + 1);
            if (sum > room) {
                throw new UserFacingException(file + ": refused: the manifest declares " + sum + " bytes of entries, more than "
                        + room + " bytes allowed at this heap size (run with a larger -Xmx if the model is genuine)");
            }
        }
        return entries;
    }

    /** Checks every declared entry is present with its checksum, and the manifest's own checksum. */
    private static void verify(ObjectNode manifest, Map<String, byte[]> entries, String file) throws IOException {
        JsonNode integrity = manifest.get(INTEGRITY);
        JsonNode declared = integrity.get("entries");
        for (Iterator<Map.Entry<String, JsonNode>> it = declared.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            byte[] data = entries.get(e.getKey());
            if (data == null) {
                throw new UserFacingException(file + ": damaged or truncated model: entry '" + abbreviate(e.getKey())
                        + "' listed in its manifest is missing");
            }
            if (!sha256(data).equalsIgnoreCase(e.getValue().path("sha256").asText())) {
                throw new UserFacingException(file + ": damaged model: entry '" + e.getKey()
                        + "' does not match its checksum (altered or corrupt)");
            }
        }
        ObjectNode rest = manifest.deepCopy();
        rest.remove(INTEGRITY);
        if (!sha256(JSON.writeValueAsBytes(rest)).equalsIgnoreCase(integrity.path("manifest_sha256").asText())) {
            throw new UserFacingException(file + ": damaged model: its manifest does not match its checksum "
                    + "(edited or corrupt)");
        }
    }

    /** Reads an entry the manifest declared as {@code bytes} long: allocates exactly that, refuses more or less. */
    private static byte[] readExactly(InputStream in, long bytes, long limit, String file, String name) throws IOException {
        if (bytes > limit) {
            throw new UserFacingException(file + ": refused, model entry '" + name + "' declares " + bytes
                    + " bytes, more than allowed (" + limit + ")");
        }
        byte[] data = new byte[(int) bytes];
        int n = in.readNBytes(data, 0, data.length);
        if (n < data.length) {
            throw new UserFacingException(file + ": damaged or truncated model: entry '" + name + "' has " + n
                    + " bytes, its manifest says " + bytes);
        }
        if (in.read() != -1) {
            throw new UserFacingException(file + ": damaged model: entry '" + name + "' is larger than the " + bytes
                    + " bytes its manifest says");
        }
        return data;
    }

    /**
     * Network weights as stored ({@code float32}, little endian): decoded, each one finite and within
     * {@code +-maxAbs}, else refused with {@code what} ("LSTM model file is corrupt") and the first bad one.
     */
    public static float[] weights(byte[] raw, float maxAbs, String what) {
        float[] w = new float[raw.length / 4];
        java.nio.ByteBuffer.wrap(raw).order(java.nio.ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(w);
        for (int i = 0; i < w.length; i++) {
            if (!Float.isFinite(w[i]) || Math.abs(w[i]) > maxAbs) {
                throw new UserFacingException(what + ": weight " + i + " is " + w[i] + " (not a finite number within +-"
                        + maxAbs + ")");
            }
        }
        return w;
    }

    static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Reads one entry, stopping as soon as it passes the size limit or the ZIP-bomb ratio limit. */
    private static byte[] readBounded(InputStream in, long limit, long ratioLimit, String file, String name) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[1 << 16];
        long n = 0;
        int r;
        while ((r = in.read(buf)) > 0) {
            n += r;
            if (n > ratioLimit) {
                throw new UserFacingException(file + ": refused, entries expand to more than "
                        + MAX_RATIO + " times the file size (a ZIP bomb?)");
            }
            if (n > limit) {
                throw new UserFacingException(file + ": refused, model entry '" + name + "' is larger than allowed ("
                        + (limit >> 20) + " MB at this heap size; run with a larger -Xmx if the model is genuine)");
            }
            out.write(buf, 0, r);
        }
        return out.toByteArray();
    }

    private static String abbreviate(String s) {
        return s.length() > 60 ? s.substring(0, 60) + "..." : s;
    }
}
