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
 */
public final class ModelFile {
    public static final String FORMAT = "seqwatch-model";
    public static final int FORMAT_VERSION = 1;
    static final String MANIFEST = "manifest.json";
    private static final long MAX_ENTRY_BYTES = 1L << 30;
    private static final long MAX_TOTAL_BYTES = 2L << 30;
    private static final int MAX_ENTRIES = 256;
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
            try (OutputStream out = Files.newOutputStream(tmp); ZipOutputStream zip = new ZipOutputStream(out)) {
                zip.putNextEntry(new ZipEntry(MANIFEST));
                zip.write(JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(manifest));
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

    private static ModelFile parse(InputStream in, long size, long ratioBase, String file) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        long total = 0;
        long compressedSize = Math.max(1, Math.min(size, ratioBase));
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
                if (entries.containsKey(name)) {
                    throw new UserFacingException(file + ": not a Seqwatch model (entry '" + name + "' twice)");
                }
                byte[] data = readBounded(zip, Math.min(MAX_ENTRY_BYTES, MAX_TOTAL_BYTES - total),
                        MAX_RATIO * compressedSize + (1 << 20) - total, file, name);
                total += data.length;
                entries.put(name, data);
            }
        } catch (ZipException | java.io.EOFException | IllegalArgumentException e) {
            // IllegalArgumentException: ZipInputStream on an entry name that is not valid UTF-8
            throw new UserFacingException(file + ": not a Seqwatch model or truncated (" + e.getMessage() + ")", e);
        }
        byte[] manifestBytes = entries.remove(MANIFEST);
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
        return new ModelFile((ObjectNode) m, entries, compressedSize, file);
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
                throw new UserFacingException(file + ": refused, model entry '" + name + "' is larger than allowed");
            }
            out.write(buf, 0, r);
        }
        return out.toByteArray();
    }

    private static String abbreviate(String s) {
        return s.length() > 60 ? s.substring(0, 60) + "..." : s;
    }
}
