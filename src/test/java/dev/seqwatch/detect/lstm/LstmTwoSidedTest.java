package dev.seqwatch.detect.lstm;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.seqwatch.common.ProgressListener;
import dev.seqwatch.common.UserFacingException;
import dev.seqwatch.detect.DetectorRegistry;
import dev.seqwatch.detect.ModelFile;
import dev.seqwatch.detect.Scores;
import dev.seqwatch.detect.UserScores;
import dev.seqwatch.sequence.SequenceSet;
import dev.seqwatch.sequence.SequenceSetBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** Two-sided user scores: length norms of the training users, mean_z and two_sided, a too-regular user. */
class LstmTwoSidedTest {
    private static final String[] OTHERS = {"cart", "search", "favorite", "remove_cart"};

    @TempDir
    static Path dir;
    static SequenceSet train;

    /** People: view 60% of the time, else one of four other actions; gaps 1-120 s; sessions of 40-60 events. */
    static void addPerson(SequenceSetBuilder b, String user, Random r) {
        long t = LstmDetectorTest.T0 + r.nextInt(1_000_000) * 1000L;
        int n = 40 + r.nextInt(21);
        for (int i = 0; i < n; i++) {
            t += (1 + r.nextInt(120)) * 1000L;
            b.add(-1, user, t, r.nextDouble() < 0.6 ? "view" : OTHERS[r.nextInt(OTHERS.length)], null, null, Double.NaN);
        }
    }

    /** A script: the same length as people, one view every 20 s. */
    static void addScript(SequenceSetBuilder b, String user, int n) {
        long t = LstmDetectorTest.T0;
        for (int i = 0; i < n; i++) {
            t += 20_000L;
            b.add(-1, user, t, "view", null, null, Double.NaN);
        }
    }

    @BeforeAll
    static void data() {
        SequenceSetBuilder b = new SequenceSetBuilder();
        Random r = new Random(3);
        for (int u = 0; u < 80; u++) {
            addPerson(b, "p" + u, r);
        }
        train = b.build();
    }

    static SequenceSet testUsers() {
        SequenceSetBuilder b = new SequenceSetBuilder();
        Random r = new Random(99);
        for (int u = 0; u < 40; u++) {
            addPerson(b, "q" + u, r);
        }
        addScript(b, "script", 50);
        // erratic: the rare actions only, at gaps people never leave inside a session
        long t = LstmDetectorTest.T0;
        for (int i = 0; i < 50; i++) {
            t += (i % 2 == 0 ? 900 : 1) * 1000L;
            b.add(-1, "erratic", t, OTHERS[i % OTHERS.length], null, null, Double.NaN);
        }
        return b.build();
    }

    private static int rankOf(Scores s, String user) {
        List<UserScores> sorted = new ArrayList<>(s.users());
        sorted.sort((a, c) -> Double.compare(c.score(), a.score()));
        for (int i = 0; i < sorted.size(); i++) {
            if (sorted.get(i).userId().equals(user)) {
                return i + 1;
            }
        }
        throw new AssertionError(user);
    }

    @Test
    void normsByHand() {
        assertThat(LengthNorms.bucket(0)).isZero();
        assertThat(LengthNorms.bucket(1)).isZero();
        assertThat(LengthNorms.bucket(2)).isEqualTo(1);
        assertThat(LengthNorms.bucket(3)).isEqualTo(1);
        assertThat(LengthNorms.bucket(4)).isEqualTo(2);
        assertThat(LengthNorms.bucket(1 << 30)).isEqualTo(LengthNorms.BUCKETS - 1);
        // steps {1, 3, NaN}: mean 2, spread 1, top-5 mean 2, 2 finite steps
        assertThat(LengthNorms.stats(new double[]{1, 3, Double.NaN})).containsExactly(2, 1, 2, 2);
        assertThat(LengthNorms.stats(new double[]{Double.NaN})).isNull();
        // 31 users of 2 steps {m-1, m+1} with means 0..30 (median 15, MAD 8), spread 1 each; scale = 1.4826 * 8
        List<double[]> users = new ArrayList<>();
        for (int m = 0; m <= 30; m++) {
            users.add(new double[]{m - 1, m + 1});
        }
        LengthNorms n = LengthNorms.fit(users);
        assertThat(n.users[1]).isEqualTo(31);
        assertThat(n.median[1][LengthNorms.MEAN]).isEqualTo(15.0);
        assertThat(n.scale[1][LengthNorms.MEAN]).isCloseTo(1.4826 * 8, within(1e-12));
        assertThat(n.scale[1][LengthNorms.SPREAD]).isEqualTo(LengthNorms.MIN_SCALE); // all spreads equal: the floor
        // a 2-step user of mean 27 and spread 0: z mean = 12 / 11.86, z spread = -1 / 0.05 = -20
        double[] z = n.z(new double[]{27, 27});
        assertThat(z[LengthNorms.MEAN]).isCloseTo(12 / (1.4826 * 8), within(1e-12));
        assertThat(z[LengthNorms.SPREAD]).isCloseTo(-20, within(1e-9));
        assertThat(UserAggregate.MEAN_Z.of(new double[]{27, 27}, null, 9, n)).isCloseTo(12 / (1.4826 * 8), within(1e-12));
        // two_sided: max(z of top-5 mean against everyone, -z mean, -z spread against the length): spread 0 is far too regular
        assertThat(UserAggregate.TWO_SIDED.of(new double[]{27, 27}, null, 9, n)).isCloseTo(20, within(1e-9));
        assertThat(n.allMedian[LengthNorms.TOP5]).isEqualTo(15.0);
        // {40, 60}: mean 50, spread 10 (erratic, not regular): the upper tail, (50 - 15) / (1.4826 * 8)
        assertThat(UserAggregate.TWO_SIDED.of(new double[]{40, 60}, null, 9, n)).isCloseTo(35 / (1.4826 * 8), within(1e-9));
        // {2, 4}: mean 3, spread 1 as its peers: the lower tail of the mean, (15 - 3) / (1.4826 * 8)
        assertThat(UserAggregate.TWO_SIDED.of(new double[]{2, 4}, null, 9, n)).isCloseTo(12 / (1.4826 * 8), within(1e-9));
        // far more predictable than its peers scores as high as far more surprising
        assertThat(UserAggregate.MEAN_Z.of(new double[]{3, 3}, null, 9, n))
                .isCloseTo(UserAggregate.MEAN_Z.of(new double[]{27, 27}, null, 9, n), within(1e-12));
        // bucket 0 (one step) has no users of its own: it borrows its neighbours until it has 30 (here: bucket 1)
        assertThat(n.users[0]).isZero();
        assertThat(n.median[0][LengthNorms.MEAN]).isEqualTo(15.0);
        assertThat(UserAggregate.TWO_SIDED.of(new double[0], null, 9, n)).isZero();
        assertThatThrownBy(() -> UserAggregate.TWO_SIDED.of(new double[]{1}, null, 9, null))
                .isInstanceOf(UserFacingException.class).hasMessageContaining("train it again");
    }

    @Test
    void aTooRegularUserIsFlaggedBothWaysAndTheNormsAreStored() throws Exception {
        SequenceSet test = testUsers();
        LstmDetector oneSided = new LstmDetector();
        oneSided.fit(train, LstmDetectorTest.small(12, 5, Map.of("aggregate", "top5_mean", "max_len", "30")), ProgressListener.NONE);
        Scores s1 = oneSided.score(test, ProgressListener.NONE);
        // the one-sided score ranks the script as more normal than most people
        assertThat(rankOf(s1, "script")).isGreaterThan(test.size() / 2);
        UserScores script = s1.user("script");
        assertThat(oneSided.aggregate("mean", script)).isLessThan(median(s1, u -> oneSided.aggregate("mean", u)));

        for (String agg : List.of("mean_z", "two_sided")) {
            LstmDetector d = new LstmDetector();
            d.fit(train, LstmDetectorTest.small(12, 5, Map.of("aggregate", agg, "max_len", "30")), ProgressListener.NONE);
            Scores s = d.score(test, ProgressListener.NONE);
            assertThat(rankOf(s, "script")).as(agg).isLessThanOrEqualTo(2);
            assertThat(rankOf(s, "erratic")).as(agg).isLessThanOrEqualTo(2);
            // the label-free threshold (0.99 quantile of the training users' scores) flags both
            assertThat(s.user("script").score()).as(agg).isGreaterThan(d.unsupervisedThreshold());
            assertThat(s.user("erratic").score()).as(agg).isGreaterThan(d.unsupervisedThreshold());
            // same weights, other aggregate: the one-sided figure of the same steps is unchanged
            assertThat(d.aggregate(agg, s.user("script"))).isEqualTo(s.user("script").score());

            Path file = dir.resolve(agg + ".swm");
            d.save(file);
            LstmDetector back = LstmDetector.load(file);
            Scores again = back.score(test, ProgressListener.NONE);
            for (UserScores u : s.users()) {
                assertThat(again.user(u.userId()).score()).as(u.userId()).isEqualTo(u.score());
            }
            assertThat(back.unsupervisedThreshold()).isEqualTo(d.unsupervisedThreshold());
            // the registry's check of stored params accepts the new aggregate
            assertThat(DetectorRegistry.standard().load(file).name()).isEqualTo("lstm");
        }
    }

    @Test
    void aModelFileWithoutOrWithBrokenNormsIsRefusedForATwoSidedAggregate() throws Exception {
        LstmDetector d = new LstmDetector();
        d.fit(train, LstmDetectorTest.small(1, 5, Map.of("aggregate", "two_sided", "max_len", "30")), ProgressListener.NONE);
        Path file = dir.resolve("ok.swm");
        d.save(file);
        ModelFile f = ModelFile.read(file);
        ObjectNode m = f.manifest().deepCopy();
        m.remove("length_norms");
        Path missing = dir.resolve("missing.swm");
        ModelFile.write(missing, m, Map.of("params.f32", f.entry("params.f32")));
        assertThatThrownBy(() -> LstmDetector.load(missing)).isInstanceOf(UserFacingException.class)
                .hasMessageContaining("aggregate two_sided but no length_norms");
        ObjectNode broken = f.manifest().deepCopy();
        ((com.fasterxml.jackson.databind.node.ArrayNode) broken.path("length_norms").path("scale").get(3)).set(1, 0.0);
        Path bad = dir.resolve("bad.swm");
        ModelFile.write(bad, broken, Map.of("params.f32", f.entry("params.f32")));
        assertThatThrownBy(() -> LstmDetector.load(bad)).isInstanceOf(UserFacingException.class)
                .hasMessageContaining("length_norms.scale[3][1]");
    }

    private static double median(Scores s, java.util.function.ToDoubleFunction<UserScores> f) {
        double[] v = s.users().stream().mapToDouble(f).sorted().toArray();
        return v[v.length / 2];
    }
}
