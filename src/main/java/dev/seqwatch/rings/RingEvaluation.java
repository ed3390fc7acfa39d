package dev.seqwatch.rings;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * How well the links recover known rings (the generator's truth.csv ring column), per ring type (the
 * ring id up to its last '-', e.g. {@code click_farming-3} is of type {@code click_farming}).
 * <ul>
 *   <li>recall: per member, the share of the other members of its ring among its top neighbours; the mean over members</li>
 *   <li>precision: per member with neighbours, the share of its top neighbours in its ring; the mean</li>
 *   <li>members at 90%: the share of members whose top neighbours hold at least 90% of the rest of their ring</li>
 *   <li>ring recall / purity: per true ring, the found ring holding most of its members: that overlap over the
 *       true ring's size, and over the found ring's size (0 when no found ring holds any member)</li>
 * </ul>
 * Rings of one account (the last, partial ring of a pattern) are left out.
 */
public final class RingEvaluation {
    public record TypeRow(String type, int rings, int members, double recall, double precision, double membersAt90,
                          double ringRecall, double ringPurity) {
        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("type", type);
            m.put("rings", rings);
            m.put("members", members);
            m.put("recall", recall);
            m.put("precision", precision);
            m.put("members_at_90", membersAt90);
            m.put("ring_recall", ringRecall);
            m.put("ring_purity", ringPurity);
            return m;
        }
    }

    private RingEvaluation() {
    }

    /** @param ringOfUser the true ring id of each user in a ring (others absent) */
    public static List<TypeRow> evaluate(RingGraph g, Map<String, String> ringOfUser) {
        int n = g.users();
        String[] truth = new String[n];
        Map<String, List<Integer>> members = new TreeMap<>();
        for (int u = 0; u < n; u++) {
            truth[u] = ringOfUser.get(g.userId(u));
            if (truth[u] != null) {
                members.computeIfAbsent(truth[u], k -> new ArrayList<>()).add(u);
            }
        }
        int[] found = new int[n];
        java.util.Arrays.fill(found, -1);
        List<RingGraph.Ring> rings = g.rings();
        for (RingGraph.Ring r : rings) {
            for (int u : r.members()) {
                found[u] = r.id();
            }
        }
        Map<String, double[]> acc = new TreeMap<>();   // rings, members, recall, precision n, precision, at90, ringRecall, purity
        for (Map.Entry<String, List<Integer>> e : members.entrySet()) {
            List<Integer> m = e.getValue();
            if (m.size() < 2) {
                continue;
            }
            String id = e.getKey();
            String type = id.contains("-") ? id.substring(0, id.lastIndexOf('-')) : id;
            double[] a = acc.computeIfAbsent(type, k -> new double[8]);
            a[0]++;
            for (int u : m) {
                int hits = 0;
                List<RingGraph.Link> nb = g.neighbours(u);
                for (RingGraph.Link l : nb) {
                    hits += id.equals(truth[l.index()]) ? 1 : 0;
                }
                double rec = hits / (double) (m.size() - 1);
                a[1]++;
                a[2] += rec;
                if (!nb.isEmpty()) {
                    a[3]++;
                    a[4] += hits / (double) nb.size();
                }
                a[5] += rec >= 0.9 - 1e-9 ? 1 : 0;
            }
            Map<Integer, Integer> overlap = new HashMap<>();
            for (int u : m) {
                if (found[u] > 0) {
                    overlap.merge(found[u], 1, Integer::sum);
                }
            }
            int best = 0;
            int bestRing = -1;
            for (Map.Entry<Integer, Integer> o : overlap.entrySet()) {
                if (o.getValue() > best) {
                    best = o.getValue();
                    bestRing = o.getKey();
                }
            }
            a[6] += best / (double) m.size();
            a[7] += bestRing < 0 ? 0 : best / (double) rings.get(bestRing - 1).size();
        }
        List<TypeRow> out = new ArrayList<>();
        for (Map.Entry<String, double[]> e : acc.entrySet()) {
            double[] a = e.getValue();
            out.add(new TypeRow(e.getKey(), (int) a[0], (int) a[1], a[2] / a[1], a[3] == 0 ? Double.NaN : a[4] / a[3],
                    a[5] / a[1], a[6] / a[0], a[7] / a[0]));
        }
        return out;
    }
}
