package dev.seqwatch.generate;

import dev.seqwatch.common.ProgressListener;
import dev.seqwatch.common.UserFacingException;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Writes a labelled synthetic behaviour log: {@code events.csv} (all users' events in global time
 * order), {@code truth.csv} (the label of every user) and {@code labels.csv} (a stratified ~25%
 * of users, what analysts have labelled so far). The same configuration gives identical files.
 *
 * <p>Users are generated one at a time from their own random stream into a column-wise buffer;
 * when the buffer is full it is sorted by time and spilled to a temporary run, and the runs are
 * merged at the end, so memory stays bounded whatever the number of events.
 */
public final class SessionGenerator {
    public static final String EVENTS = "events.csv";
    public static final String TRUTH = "truth.csv";
    public static final String LABELS = "labels.csv";
    public static final String LABEL_HEADER = "user_id,label,fraud_type,note";
    /**
     * truth.csv's header: the label columns and the ring each fraud user works in ({@code <fraud_type>-<n>},
     * the accounts that share a ring's random stream: its targets and campaign; empty for normal users).
     * labels.csv keeps the four label columns.
     */
    public static final String TRUTH_HEADER = LABEL_HEADER + ",ring";
    public static final double LABELLED_SHARE = 0.25;

    /** The five patterns of the first generator (the committed sample session was written with these). */
    public static final List<String> CLASSIC_PATTERNS = List.of(
            "click_farming", "order_brushing", "account_takeover", "scripted_bot", "coupon_abuse");
    /**
     * Every pattern, the default: the classic five, then three that are more regular than people
     * (scraping at a fixed cadence, hoarding carts, one action repeated at a near-fixed interval).
     */
    public static final List<String> ALL_PATTERNS = List.of(
            "click_farming", "order_brushing", "account_takeover", "scripted_bot", "coupon_abuse",
            "catalogue_scraping", "cart_hoarding", "cadence_bot");

    static final int NORMAL = -1;
    private static final int DEFAULT_SPILL_EVENTS = 2_000_000;

    private final GeneratorConfig config;
    private final List<FraudPattern> patterns;
    private final int spillEvents;

    public SessionGenerator(GeneratorConfig config) {
        this(config, DEFAULT_SPILL_EVENTS);
    }

    /** @param spillEvents buffered events before a sorted run is spilled to disk (small in tests) */
    SessionGenerator(GeneratorConfig config, int spillEvents) {
        this.config = config;
        this.spillEvents = spillEvents;
        this.patterns = config.patterns().stream().map(name -> pattern(name, config)).toList();
    }

    private static FraudPattern pattern(String name, GeneratorConfig config) {
        FraudPattern p = switch (name) {
            case "click_farming" -> new ClickFarming();
            case "order_brushing" -> new OrderBrushing();
            case "account_takeover" -> new AccountTakeover(config.start());
            case "scripted_bot" -> new ScriptedBot();
            case "coupon_abuse" -> new CouponAbuse();
            case "catalogue_scraping" -> new CatalogueScraping();
            case "cart_hoarding" -> new CartHoarding();
            case "cadence_bot" -> new CadenceBot();
            default -> throw new IllegalArgumentException("unknown fraud pattern " + name);
        };
        if (!p.type().equals(name)) {
            throw new IllegalStateException(name + " writes fraud type " + p.type());
        }
        return p;
    }

    /** Fraud type names in the order types are assigned. */
    public List<String> fraudTypes() {
        return patterns.stream().map(FraudPattern::type).toList();
    }

    public GenerationSummary generate(Path dir, ProgressListener progress) {
        prepare(dir);
        int n = config.users();
        long seed = config.seed();
        int[] type = assignTypes();
        int[] ordinal = ordinals(type);
        String[] notes = new String[n];
        int[] ringNo = new int[n];
        Catalogue shop = new Catalogue(150, Math.max(20_000, Math.min(400_000, n * 2)), seed);

        List<Path> runs = new ArrayList<>();
        Path eventsTmp = dir.resolve(EVENTS + ".tmp");
        long events;
        try {
            EventColumns buffer = new EventColumns((int) Math.min((long) spillEvents + UserContext.MAX_EVENTS_PER_USER,
                    Math.max(1 << 16, 64L * n)));
            EventCsvWriter direct = null;
            for (int u = 0; u < n; u++) {
                if ((u & 255) == 0) {
                    progress.checkCancelled();
                    progress.progress(0.7 * u / n, "generated " + u + " of " + n + " users");
                }
                SplittableRandom r = new SplittableRandom(Rand.mix(seed, 0x5E55_0000_0000L + u));
                UserContext c = new UserContext(u, r, shop, config.periodSeconds(), buffer);
                if (type[u] == NORMAL) {
                    NormalShopper.generate(c);
                } else {
                    FraudPattern p = patterns.get(type[u]);
                    int ring = ordinal[u] / p.ringSize();
                    ringNo[u] = ring;
                    SplittableRandom ringRandom = new SplittableRandom(Rand.mix(seed, 0x7100_0000L * (type[u] + 1) + ring));
                    double intensity = r.nextDouble();
                    notes[u] = p.generate(c, ringRandom, ring, intensity);
                }
                if (buffer.size >= spillEvents) {
                    Path run = dir.resolve(".events-run-" + runs.size() + ".tmp");
                    runs.add(run);
                    SortedRun.write(run, buffer, buffer.timeOrder());
                    buffer.clear();
                }
            }
            progress.checkCancelled();
            progress.progress(0.7, "writing " + EVENTS);
            try (OutputStream os = Files.newOutputStream(eventsTmp);
                 EventCsvWriter w = new EventCsvWriter(os, config.start(), n)) {
                if (runs.isEmpty()) {
                    for (int i : buffer.timeOrder()) {
                        w.row(buffer.user[i], buffer.second[i], buffer.action[i], buffer.item[i],
                                buffer.category[i], buffer.cents[i]);
                    }
                } else {
                    if (buffer.size > 0) {
                        Path run = dir.resolve(".events-run-" + runs.size() + ".tmp");
                        runs.add(run);
                        SortedRun.write(run, buffer, buffer.timeOrder());
                        buffer.clear();
                    }
                    buffer = null;
                    merge(runs, w, progress);
                }
                events = w.rows;
            }
            Files.move(eventsTmp, dir.resolve(EVENTS), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UserFacingException("cannot write " + EVENTS + " in " + dir + ": " + e.getMessage(), e);
        } finally {
            for (Path run : runs) {
                deleteQuietly(run);
            }
            deleteQuietly(eventsTmp);
        }
        progress.progress(0.95, "writing labels");
        Map<String, Integer> byType = new LinkedHashMap<>();
        for (FraudPattern p : patterns) {
            byType.put(p.type(), 0);
        }
        int fraud = 0;
        for (int t : type) {
            if (t != NORMAL) {
                fraud++;
                byType.merge(patterns.get(t).type(), 1, Integer::sum);
            }
        }
        boolean[] labelled = labelledSample(type);
        int nLabelled = 0;
        for (boolean b : labelled) {
            nLabelled += b ? 1 : 0;
        }
        writeLabels(dir.resolve(TRUTH), type, notes, null, ringNo);
        writeLabels(dir.resolve(LABELS), type, notes, labelled, null);
        long bytes;
        try {
            bytes = Files.size(dir.resolve(EVENTS));
        } catch (IOException e) {
            bytes = -1;
        }
        progress.progress(1.0, "done");
        return new GenerationSummary(dir, n, events, fraud, byType, nLabelled, bytes);
    }

    private static void prepare(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (FileSystemException e) {
            String reason = e instanceof AccessDeniedException ? "permission denied"
                    : e instanceof FileAlreadyExistsException ? "a file of that name is in the way"
                    : e.getReason() != null ? e.getReason() : e.getClass().getSimpleName();
            throw new UserFacingException("cannot create output folder " + dir + ": " + reason, e);
        } catch (IOException e) {
            throw new UserFacingException("cannot create output folder " + dir + ": " + e.getMessage(), e);
        }
        if (!Files.isDirectory(dir)) {
            throw new UserFacingException("output " + dir + " is not a folder");
        }
        if (!Files.isWritable(dir)) {
            throw new UserFacingException("output folder " + dir + " is not writable");
        }
    }

    /** Picks round(users * fraudRate) fraud users at random and deals the types round-robin. */
    int[] assignTypes() {
        int n = config.users();
        int[] type = new int[n];
        java.util.Arrays.fill(type, NORMAL);
        int fraud = (int) Math.round(n * config.fraudRate());
        int[] perm = Rand.permutation(n, new SplittableRandom(Rand.mix(config.seed(), 0xF4A0DL)));
        for (int k = 0; k < fraud; k++) {
            type[perm[k]] = k % patterns.size();
        }
        return type;
    }

    /** The position of each fraud user among the users of its type (for rings). */
    private int[] ordinals(int[] type) {
        int[] next = new int[patterns.size()];
        int[] ordinal = new int[type.length];
        for (int u = 0; u < type.length; u++) {
            if (type[u] != NORMAL) {
                ordinal[u] = next[type[u]]++;
            }
        }
        return ordinal;
    }

    /** A random ~25% of each stratum (normal and every fraud type), at least one per non-empty stratum. */
    boolean[] labelledSample(int[] type) {
        boolean[] chosen = new boolean[type.length];
        SplittableRandom r = new SplittableRandom(Rand.mix(config.seed(), 0x1ABE1L));
        for (int stratum = NORMAL; stratum < patterns.size(); stratum++) {
            int size = 0;
            for (int t : type) {
                size += t == stratum ? 1 : 0;
            }
            if (size == 0) {
                continue;
            }
            int[] members = new int[size];
            int k = 0;
            for (int u = 0; u < type.length; u++) {
                if (type[u] == stratum) {
                    members[k++] = u;
                }
            }
            int take = Math.max(1, (int) Math.round(size * LABELLED_SHARE));
            for (int i = 0; i < take; i++) {
                int j = i + r.nextInt(size - i);
                int tmp = members[i];
                members[i] = members[j];
                members[j] = tmp;
                chosen[members[i]] = true;
            }
        }
        return chosen;
    }

    private void writeLabels(Path file, int[] type, String[] notes, boolean[] only, int[] ringNo) {
        int n = type.length;
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write(ringNo == null ? LABEL_HEADER : TRUTH_HEADER);
            w.write('\n');
            for (int u = 0; u < n; u++) {
                if (only != null && !only[u]) {
                    continue;
                }
                w.write(EventCsvWriter.userId(u, n));
                if (type[u] == NORMAL) {
                    w.write(ringNo == null ? ",normal,,\n" : ",normal,,,\n");
                } else {
                    w.write(",fraud,");
                    w.write(patterns.get(type[u]).type());
                    w.write(',');
                    w.write(notes[u] == null ? "" : notes[u]);   // notes never contain commas or quotes
                    if (ringNo != null) {
                        w.write(',');
                        w.write(patterns.get(type[u]).type() + "-" + ringNo[u]);
                    }
                    w.write('\n');
                }
            }
        } catch (IOException e) {
            throw new UserFacingException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private static void merge(List<Path> runFiles, EventCsvWriter w, ProgressListener progress) throws IOException {
        List<SortedRun> runs = new ArrayList<>();
        try {
            for (Path p : runFiles) {
                runs.add(new SortedRun(p));
            }
            int k = runs.size();
            boolean[] live = new boolean[k];
            for (int i = 0; i < k; i++) {
                live[i] = runs.get(i).next();
            }
            long rows = 0;
            while (true) {
                int best = -1;
                int bestSecond = Integer.MAX_VALUE;
                for (int i = 0; i < k; i++) {
                    // strict '<': on equal times the earlier run (lower user numbers) wins
                    if (live[i] && runs.get(i).second < bestSecond) {
                        best = i;
                        bestSecond = runs.get(i).second;
                    }
                }
                if (best < 0) {
                    break;
                }
                SortedRun r = runs.get(best);
                w.row(r.user, r.second, r.action, r.item, r.category, r.cents);
                live[best] = r.next();
                if ((++rows & 0xFFFF) == 0) {
                    progress.checkCancelled();
                    progress.progress(-1, "merged " + rows + " events");
                }
            }
        } finally {
            for (SortedRun r : runs) {
                r.close();
            }
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            // a left-over temporary file is harmless; the real error (if any) is already on its way
        }
    }
}
