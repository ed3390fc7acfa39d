package dev.seqwatch.generate;

import dev.seqwatch.common.CancelledException;
import dev.seqwatch.common.Label;
import dev.seqwatch.common.ProgressListener;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SessionGeneratorTest {
    private static final int USERS = 1600;
    private static final double RATE = 0.1;

    @TempDir
    static Path tmp;
    static Path dir;
    static GenerationSummary summary;
    static Map<String, String[]> truth;
    static Map<String, List<String[]>> byUser;

    @BeforeAll
    static void generateOnce() throws IOException {
        dir = tmp.resolve("main");
        summary = new SessionGenerator(GeneratorConfig.of(USERS, RATE, 7)).generate(dir, ProgressListener.NONE);
        truth = readLabels(dir.resolve(SessionGenerator.TRUTH));
        byUser = new LinkedHashMap<>();
        for (String[] row : rows(dir.resolve(SessionGenerator.EVENTS))) {
            byUser.computeIfAbsent(row[0], k -> new ArrayList<>()).add(row);
        }
    }

    static List<String[]> rows(Path csv) throws IOException {
        List<String> lines = Files.readAllLines(csv);
        List<String[]> out = new ArrayList<>(lines.size());
        for (String l : lines.subList(1, lines.size())) {
            out.add(l.split(",", -1));
        }
        return out;
    }

    static Map<String, String[]> readLabels(Path csv) throws IOException {
        Map<String, String[]> m = new LinkedHashMap<>();
        for (String[] r : rows(csv)) {
            m.put(r[0], r);
        }
        return m;
    }

    static List<String> usersOfType(String type) {
        return truth.values().stream().filter(r -> r[2].equals(type)).map(r -> r[0]).toList();
    }

    static long epoch(String[] row) {
        return Instant.parse(row[1]).getEpochSecond();
    }

    /** Splits a user's events into sessions on 30 minutes of inactivity. */
    static List<List<String[]>> sessions(List<String[]> events) {
        List<List<String[]>> out = new ArrayList<>();
        List<String[]> cur = null;
        long last = Long.MIN_VALUE;
        for (String[] e : events) {
            long t = epoch(e);
            if (cur == null || t - last >= 30 * 60) {
                cur = new ArrayList<>();
                out.add(cur);
            }
            cur.add(e);
            last = t;
        }
        return out;
    }

    @Test
    void sameSeedGivesIdenticalFilesAndOtherSeedDiffers() throws IOException {
        Path again = tmp.resolve("again");
        Path other = tmp.resolve("other");
        new SessionGenerator(GeneratorConfig.of(USERS, RATE, 7)).generate(again, ProgressListener.NONE);
        new SessionGenerator(GeneratorConfig.of(USERS, RATE, 8)).generate(other, ProgressListener.NONE);
        for (String f : List.of(SessionGenerator.EVENTS, SessionGenerator.TRUTH, SessionGenerator.LABELS)) {
            assertThat(Files.mismatch(dir.resolve(f), again.resolve(f))).as(f).isEqualTo(-1L);
        }
        assertThat(Files.mismatch(dir.resolve(SessionGenerator.EVENTS), other.resolve(SessionGenerator.EVENTS)))
                .isNotEqualTo(-1L);
    }

    @Test
    void externalMergeWritesExactlyWhatTheInMemoryPathWrites() throws IOException {
        Path spilled = tmp.resolve("spilled");
        GenerationSummary s = new SessionGenerator(GeneratorConfig.of(USERS, RATE, 7), 7_000)
                .generate(spilled, ProgressListener.NONE);
        assertThat(s.events()).isEqualTo(summary.events());
        assertThat(Files.mismatch(dir.resolve(SessionGenerator.EVENTS), spilled.resolve(SessionGenerator.EVENTS)))
                .isEqualTo(-1L);
        try (var files = Files.list(spilled)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder(SessionGenerator.EVENTS, SessionGenerator.TRUTH, SessionGenerator.LABELS);
        }
    }

    @Test
    void cancellingLeavesNoFilesBehind() throws IOException {
        Path cancelled = tmp.resolve("cancelled");
        ProgressListener cancelAfterSomeUsers = new ProgressListener() {
            int calls;

            @Override
            public void progress(double fraction, String message) {
                calls++;
            }

            @Override
            public boolean isCancelled() {
                return calls >= 2;
            }
        };
        assertThatThrownBy(() -> new SessionGenerator(GeneratorConfig.of(USERS, RATE, 7), 3_000)
                .generate(cancelled, cancelAfterSomeUsers)).isInstanceOf(CancelledException.class);
        try (var files = Files.list(cancelled)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void everyFraudTypeIsPresentAtTheRequestedRate() {
        int expectedFraud = (int) Math.round(USERS * RATE);
        assertThat(summary.fraudUsers()).isEqualTo(expectedFraud);
        assertThat(summary.fraudByType().keySet()).containsExactly(
                "click_farming", "order_brushing", "account_takeover", "scripted_bot", "coupon_abuse",
                "catalogue_scraping", "cart_hoarding", "cadence_bot");
        // the classic five are the workbench's keys 1-5; the new ones are free-text fraud types
        assertThat(Label.FRAUD_TYPES).containsAll(SessionGenerator.CLASSIC_PATTERNS);
        for (Map.Entry<String, Integer> e : summary.fraudByType().entrySet()) {
            assertThat(e.getValue()).as(e.getKey()).isEqualTo(expectedFraud / 8);
            assertThat(usersOfType(e.getKey())).hasSize(expectedFraud / 8);
        }
        long fraudInTruth = truth.values().stream().filter(r -> r[1].equals("fraud")).count();
        assertThat(fraudInTruth).isEqualTo(expectedFraud);
    }

    @Test
    void extremeRatesGiveNoFraudOrOnlyFraud() throws IOException {
        GenerationSummary none = new SessionGenerator(GeneratorConfig.of(40, 0, 1)).generate(tmp.resolve("r0"), ProgressListener.NONE);
        GenerationSummary all = new SessionGenerator(GeneratorConfig.of(40, 1, 1)).generate(tmp.resolve("r1"), ProgressListener.NONE);
        assertThat(none.fraudUsers()).isZero();
        assertThat(all.fraudUsers()).isEqualTo(40);
        assertThat(all.fraudByType().values()).containsOnly(5);
        assertThat(readLabels(tmp.resolve("r1").resolve(SessionGenerator.TRUTH)).values())
                .allSatisfy(r -> assertThat(r[1]).isEqualTo("fraud"));
    }

    @Test
    void eventsFileHasTheHeaderIsoTimesGlobalTimeOrderAndNoDuplicates() throws IOException {
        List<String> lines = Files.readAllLines(dir.resolve(SessionGenerator.EVENTS));
        assertThat(lines.get(0)).isEqualTo("user_id,timestamp,action,item_id,category_id,amount");
        assertThat(lines).hasSize((int) summary.events() + 1);
        Set<String> actions = new HashSet<>();
        for (Action a : Action.values()) {
            actions.add(a.logName());
        }
        long prev = Long.MIN_VALUE;
        Set<String> keys = new HashSet<>();
        Instant from = GeneratorConfig.DEFAULT_START;
        Instant to = from.plusSeconds(31L * 86_400);
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",", -1);
            assertThat(f).as(line).hasSize(6);
            assertThat(f[0]).matches("u\\d{6}");
            assertThat(f[1]).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
            Instant t = Instant.parse(f[1]);
            assertThat(t).isBetween(from, to);
            assertThat(t.getEpochSecond()).as(line).isGreaterThanOrEqualTo(prev);
            prev = t.getEpochSecond();
            assertThat(actions).contains(f[2]);
            boolean money = f[2].equals("buy") || f[2].equals("pay");
            if (money) {
                assertThat(f[5]).as(line).matches("\\d+\\.\\d\\d");
                assertThat(Double.parseDouble(f[5])).isPositive();
            } else {
                assertThat(f[5]).as(line).isEmpty();
            }
            if (f[2].equals("view") || f[2].equals("cart") || f[2].equals("buy")) {
                assertThat(f[3]).as(line).matches("\\d+");
                assertThat(f[4]).as(line).matches("\\d+");
            }
            assertThat(keys.add(f[0] + ',' + f[1] + ',' + f[2] + ',' + f[3])).as("duplicate " + line).isTrue();
        }
    }

    @Test
    void truthCoversEveryUserAndLabelsAreAStratifiedQuarterConsistentWithTruth() throws IOException {
        assertThat(Files.readAllLines(dir.resolve(SessionGenerator.TRUTH)).get(0)).isEqualTo("user_id,label,fraud_type,note,ring");
        assertThat(Files.readAllLines(dir.resolve(SessionGenerator.LABELS)).get(0)).isEqualTo("user_id,label,fraud_type,note");
        assertThat(truth).hasSize(USERS);
        assertThat(truth.keySet()).containsAll(byUser.keySet());
        Map<String, Integer> ringSizes = new HashMap<>();
        for (String[] r : truth.values()) {
            assertThat(r).hasSize(5);
            assertThat(r[1]).isIn("normal", "fraud");
            assertThat(r[2].isEmpty()).isEqualTo(r[1].equals("normal"));
            assertThat(r[4].isEmpty()).isEqualTo(r[1].equals("normal"));
            if (!r[4].isEmpty()) {
                assertThat(r[4]).startsWith(r[2] + "-");   // a ring holds accounts of one pattern
                ringSizes.merge(r[4], 1, Integer::sum);
            }
        }
        assertThat(ringSizes.values()).allMatch(n -> n <= 25).anyMatch(n -> n >= 8);
        Map<String, String[]> labels = readLabels(dir.resolve(SessionGenerator.LABELS));
        assertThat(labels).hasSize(summary.labelledUsers());
        Map<String, Integer> perStratum = new HashMap<>();
        for (String[] l : labels.values()) {
            assertThat(java.util.Arrays.copyOf(truth.get(l[0]), 4)).as(l[0]).containsExactly(l);
            perStratum.merge(l[2].isEmpty() ? "normal" : l[2], 1, Integer::sum);
        }
        int normals = USERS - summary.fraudUsers();
        assertThat(perStratum.get("normal")).isEqualTo(Math.round(normals * 0.25f));
        for (Map.Entry<String, Integer> e : summary.fraudByType().entrySet()) {
            assertThat(perStratum.get(e.getKey())).as(e.getKey()).isEqualTo(Math.round(e.getValue() * 0.25f));
        }
    }

    @Test
    void activityIsHeavyTailedAndDiurnal() {
        List<Integer> sizes = truth.values().stream().filter(r -> r[1].equals("normal"))
                .map(r -> byUser.getOrDefault(r[0], List.of()).size()).sorted().toList();
        int median = sizes.get(sizes.size() / 2);
        int p99 = sizes.get(sizes.size() * 99 / 100);
        assertThat(sizes.get(0)).isLessThanOrEqualTo(3);
        assertThat(p99).isGreaterThan(10 * median);
        long night = 0;
        long evening = 0;
        for (String u : usersOfType("")) {
            for (String[] e : byUser.getOrDefault(u, List.of())) {
                int h = Integer.parseInt(e[1].substring(11, 13));
                night += h >= 2 && h < 5 ? 1 : 0;
                evening += h >= 19 && h < 22 ? 1 : 0;
            }
        }
        assertThat(evening).isGreaterThan(5 * night);
    }

    @Test
    void normalBuysMostlyFollowACartInTheSameSessionAndMostCartsAreNotBought() {
        int buys = 0;
        int afterCart = 0;
        int carts = 0;
        for (String u : usersOfType("")) {
            for (List<String[]> s : sessions(byUser.getOrDefault(u, List.of()))) {
                boolean carted = false;
                for (String[] e : s) {
                    if (e[2].equals("cart")) {
                        carted = true;
                        carts++;
                    } else if (e[2].equals("buy")) {
                        buys++;
                        afterCart += carted ? 1 : 0;
                    }
                }
            }
        }
        assertThat(buys).isGreaterThan(100);
        assertThat((double) afterCart / buys).isGreaterThan(0.8);
        assertThat(buys).isLessThan(carts);                       // drop-off between cart and buy
    }

    @Test
    void botsHaveNearlyConstantGapsAndNeverCart() {
        List<String> bots = usersOfType("scripted_bot");
        for (String u : bots) {
            List<String[]> ev = byUser.get(u);
            if (!truth.get(u)[3].endsWith("subtle")) {
                assertThat(ev).noneMatch(e -> e[2].equals("cart") || e[2].equals("buy"));
            }
            // every bot has a crawl: a session of 10+ requests with (almost) constant gaps, no carts
            assertThat(sessions(ev)).as(u).anySatisfy(s -> {
                assertThat(s).hasSizeGreaterThanOrEqualTo(10);
                assertThat(gapStdDev(s)).isLessThanOrEqualTo(1.0);
                assertThat(s).noneMatch(e -> e[2].equals("cart") || e[2].equals("buy"));
            });
        }
        List<List<String[]>> normalSessions = usersOfType("").stream()
                .flatMap(u -> sessions(byUser.getOrDefault(u, List.of())).stream())
                .filter(s -> s.size() >= 10).toList();
        long regular = normalSessions.stream().filter(s -> gapStdDev(s) <= 1.0).count();
        assertThat(normalSessions).hasSizeGreaterThan(500);
        assertThat(regular).isLessThan(normalSessions.size() / 100);
        double normalSd = normalSessions.stream().mapToDouble(SessionGeneratorTest::gapStdDev).average().orElseThrow();
        assertThat(normalSd).isGreaterThan(10);
    }

    @Test
    void clickFarmersNeverBuyAndBrushersBuyCheapItemsRepeatedly() {
        for (String u : usersOfType("click_farming")) {
            List<String[]> ev = byUser.get(u);
            Map<String, Integer> views = new HashMap<>();
            for (String[] e : ev) {
                if (e[2].equals("view")) {
                    views.merge(e[3], 1, Integer::sum);
                }
            }
            String top = views.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
            String note = truth.get(u)[3];
            if (!note.endsWith("subtle")) {
                // the most viewed item is one of the ring's targets, viewed again and again
                assertThat(views.get(top)).as(u).isGreaterThanOrEqualTo(5);
                assertThat(note).as(u).contains(top);
            } else {
                assertThat(views.get(top)).as(u).isGreaterThanOrEqualTo(2);
            }
            // farm bursts (sessions mostly on the targets) never contain a purchase
            for (List<String[]> session : sessions(ev)) {
                long onTarget = session.stream().filter(e -> e[2].equals("view") && note.contains(e[3])).count();
                if (onTarget * 2 > session.size()) {
                    assertThat(session).as(u).noneMatch(e -> e[2].equals("buy") || e[2].equals("pay"));
                }
            }
        }
        for (String u : usersOfType("order_brushing")) {
            Map<String, Integer> bought = new HashMap<>();
            for (String[] e : byUser.get(u)) {
                if (e[2].equals("buy")) {
                    bought.merge(e[3], 1, Integer::sum);
                }
            }
            assertThat(bought.values().stream().mapToInt(Integer::intValue).max().orElse(0)).as(u).isGreaterThanOrEqualTo(2);
        }
    }

    @Test
    void takeoversBuyMoreExpensiveThingsAfterTheTakeoverThanTheOwnerDid() {
        int dearer = 0;
        List<String> victims = usersOfType("account_takeover");
        for (String u : victims) {
            Instant at = Instant.parse(truth.get(u)[3].replaceAll("^takeover at (\\S+);.*$", "$1"));
            double before = 0;
            double after = 0;
            for (String[] e : byUser.get(u)) {
                if (e[2].equals("buy")) {
                    double a = Double.parseDouble(e[5]);
                    if (Instant.parse(e[1]).isBefore(at)) {
                        before = Math.max(before, a);
                    } else {
                        after = Math.max(after, a);
                    }
                }
            }
            dearer += after > before ? 1 : 0;
        }
        assertThat(dearer).isGreaterThan(victims.size() * 3 / 4);
    }

    @Test
    void couponAbusersChurnCartsAndPayTinyAmounts() {
        for (String u : usersOfType("coupon_abuse")) {
            List<String[]> ev = byUser.get(u);
            assertThat(ev).filteredOn(e -> e[2].equals("coupon")).hasSizeGreaterThanOrEqualTo(2);
            assertThat(ev).filteredOn(e -> e[2].equals("remove_cart")).isNotEmpty();
        }
    }

    @Test
    void scrapersViewManyDistinctItemsOnceAtTheirOwnCadenceAndNeverCart() {
        List<String> scrapers = usersOfType("catalogue_scraping");
        Set<String> cadences = new HashSet<>();
        for (String u : scrapers) {
            String note = truth.get(u)[3];
            cadences.add(note.replaceAll("^.*every (\\S+)s.*$", "$1"));
            List<String[]> ev = byUser.get(u);
            // a scraping session: 10+ views of items, each viewed once, a steady cadence, no cart, no buy
            assertThat(sessions(ev)).as(u).anySatisfy(s -> {
                List<String> items = s.stream().filter(e -> e[2].equals("view")).map(e -> e[3]).toList();
                assertThat(items).hasSizeGreaterThanOrEqualTo(10);
                assertThat(new HashSet<>(items)).hasSameSizeAs(items);
                assertThat(s).noneMatch(e -> e[2].equals("cart") || e[2].equals("buy"));
                assertThat(gapStdDev(s)).isLessThanOrEqualTo(Math.max(1.0, 0.35 * meanGap(s)));
            });
            if (!note.endsWith("subtle")) {
                List<String> views = ev.stream().filter(e -> e[2].equals("view")).map(e -> e[3]).toList();
                assertThat(new HashSet<>(views).size()).as(u).isGreaterThan(views.size() * 9 / 10);
            }
        }
        // every account draws its own cadence
        assertThat(cadences.size()).isGreaterThan(scrapers.size() * 3 / 4);
    }

    @Test
    void hoardersCartFarMoreThanTheyBuy() {
        int normalCarts = 0;
        int normalBuys = 0;
        for (String u : usersOfType("")) {
            for (String[] e : byUser.getOrDefault(u, List.of())) {
                normalCarts += e[2].equals("cart") ? 1 : 0;
                normalBuys += e[2].equals("buy") ? 1 : 0;
            }
        }
        double normalRatio = (double) normalCarts / normalBuys;
        List<String> hoarders = usersOfType("cart_hoarding");
        int heavy = 0;
        for (String u : hoarders) {
            long carts = byUser.get(u).stream().filter(e -> e[2].equals("cart")).count();
            long buys = byUser.get(u).stream().filter(e -> e[2].equals("buy")).count();
            assertThat(carts).as(u).isGreaterThanOrEqualTo(4);
            heavy += carts > 3 * normalRatio * (buys + 1) ? 1 : 0;
        }
        assertThat(heavy).isGreaterThan(hoarders.size() * 2 / 3);
    }

    @Test
    void cadenceBotsRepeatOneActionAtANearFixedIntervalOfTheirOwn() {
        List<String> bots = usersOfType("cadence_bot");
        Set<String> intervals = new HashSet<>();
        Set<String> actions = new HashSet<>();
        for (String u : bots) {
            String note = truth.get(u)[3];
            String action = note.substring(0, note.indexOf(' '));
            actions.add(action);
            intervals.add(note.replaceAll("^.*every (\\S+)s.*$", "$1"));
            assertThat(sessions(byUser.get(u))).as(u).anySatisfy(s -> {
                assertThat(s).hasSizeGreaterThanOrEqualTo(5);
                assertThat(s).allMatch(e -> e[2].equals(action));
                assertThat(gapStdDev(s)).isLessThanOrEqualTo(Math.max(1.0, 0.3 * meanGap(s)));
            });
        }
        assertThat(intervals.size()).isGreaterThan(bots.size() * 3 / 4);
        assertThat(actions.size()).isGreaterThanOrEqualTo(3);
    }

    @Test
    void someFraudstersAreSubtle() {
        long subtle = truth.values().stream().filter(r -> r[3].endsWith("; subtle")).count();
        assertThat(subtle).isBetween((long) (summary.fraudUsers() * 0.15), (long) (summary.fraudUsers() * 0.45));
    }

    static double meanGap(List<String[]> s) {
        return (double) (epoch(s.get(s.size() - 1)) - epoch(s.get(0))) / (s.size() - 1);
    }

    static double gapStdDev(List<String[]> s) {
        double sum = 0;
        double sq = 0;
        int n = 0;
        for (int i = 1; i < s.size(); i++) {
            double g = epoch(s.get(i)) - epoch(s.get(i - 1));
            sum += g;
            sq += g * g;
            n++;
        }
        double mean = sum / n;
        return Math.sqrt(Math.max(0, sq / n - mean * mean));
    }
}
