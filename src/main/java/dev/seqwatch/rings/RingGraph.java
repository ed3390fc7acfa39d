package dev.seqwatch.rings;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;

/** What {@link RingLinker} found: every user's strongest neighbours and the rings they form. */
public final class RingGraph {
    /** One neighbour of a user: how strongly and by what they are linked. */
    public record Link(String userId, int index, double strength, int sharedItemWindows, int sharedAmounts,
                       double sequenceSimilarity) {
        /** "items 12; amounts 2; sequence 0.81" (the parts that link them). */
        public String reasons() {
            List<String> r = new ArrayList<>();
            if (sharedItemWindows > 0) {
                r.add("items " + sharedItemWindows);
            }
            if (sharedAmounts > 0) {
                r.add("amounts " + sharedAmounts);
            }
            if (sequenceSimilarity > 0) {
                r.add(String.format(java.util.Locale.ROOT, "sequence %.2f", sequenceSimilarity));
            }
            return String.join("; ", r);
        }
    }

    /**
     * A connected group of mutual strong links: members (indices), the number of links inside it and how
     * many of them share item windows, amounts, or near-identical sequences.
     */
    public record Ring(int id, int[] members, int links, int itemLinks, int amountLinks, int sequenceLinks,
                       double meanStrength) {
        public int size() {
            return members.length;
        }

        /** "items 40/45; amounts 3/45; sequence 12/45": how many of the ring's links have each part. */
        public String linkedBy() {
            List<String> r = new ArrayList<>();
            if (itemLinks > 0) {
                r.add("items " + itemLinks + "/" + links);
            }
            if (amountLinks > 0) {
                r.add("amounts " + amountLinks + "/" + links);
            }
            if (sequenceLinks > 0) {
                r.add("sequence " + sequenceLinks + "/" + links);
            }
            return String.join("; ", r);
        }
    }

    final String[] userIds;
    final int topK;
    final int[] nbr;
    final float[] strength;
    final short[] items;
    final short[] amounts;
    final float[] jaccard;
    private final long indexEntries;
    private final int keys;
    private final long skippedKeys;
    private final long pairWork;
    private final RingLinker.Params params;
    private List<Ring> rings;

    RingGraph(String[] userIds, int topK, int[] nbr, float[] strength, short[] items, short[] amounts, float[] jaccard,
              long indexEntries, int keys, long skippedKeys, long pairWork, RingLinker.Params params) {
        this.userIds = userIds;
        this.topK = topK;
        this.nbr = nbr;
        this.strength = strength;
        this.items = items;
        this.amounts = amounts;
        this.jaccard = jaccard;
        this.indexEntries = indexEntries;
        this.keys = keys;
        this.skippedKeys = skippedKeys;
        this.pairWork = pairWork;
        this.params = params;
    }

    public int users() {
        return userIds.length;
    }

    public String userId(int u) {
        return userIds[u];
    }

    /** The user's neighbours, strongest first (at most topK, each at least the minimum strength). */
    public List<Link> neighbours(int u) {
        return RingLinker.links(this, u);
    }

    /** Index entries (user, key) the linker kept. */
    public long indexEntries() {
        return indexEntries;
    }

    /** Distinct keys, and those shared by more users than the bucket cap (ignored). */
    public int keys() {
        return keys;
    }

    public long skippedKeys() {
        return skippedKeys;
    }

    /** Candidate visits made while linking (the pair work the bucket cap bounds). */
    public long pairWork() {
        return pairWork;
    }

    public RingLinker.Params params() {
        return params;
    }

    private boolean lists(int u, int v) {
        for (int i = 0; i < topK; i++) {
            int w = nbr[u * topK + i];
            if (w < 0) {
                return false;
            }
            if (w == v) {
                return true;
            }
        }
        return false;
    }

    /** Rings of at least two users, largest first (ties: strongest first). */
    public synchronized List<Ring> rings() {
        if (rings != null) {
            return rings;
        }
        int n = userIds.length;
        int[] parent = new int[n];
        for (int i = 0; i < n; i++) {
            parent[i] = i;
        }
        for (int u = 0; u < n; u++) {
            for (int i = 0; i < topK; i++) {
                int j = u * topK + i;
                int v = nbr[j];
                if (v < 0 || strength[j] < params.ringStrength()) {
                    break;
                }
                if (u < v && lists(v, u)) {
                    int a = find(parent, u);
                    int b = find(parent, v);
                    if (a != b) {
                        parent[Math.max(a, b)] = Math.min(a, b);
                    }
                }
            }
        }
        int[] root = new int[n];
        int[] size = new int[n];
        for (int u = 0; u < n; u++) {
            root[u] = find(parent, u);
            size[root[u]]++;
        }
        int[] ringOf = new int[n];
        Arrays.fill(ringOf, -1);
        List<int[]> groups = new ArrayList<>();
        int[] fill = new int[n];
        for (int u = 0; u < n; u++) {
            int r = root[u];
            if (size[r] < 2) {
                continue;
            }
            if (ringOf[r] < 0) {
                ringOf[r] = groups.size();
                groups.add(new int[size[r]]);
            }
            int g = ringOf[r];
            groups.get(g)[fill[g]++] = u;
        }
        int[] links = new int[groups.size()];
        int[] itemL = new int[groups.size()];
        int[] amountL = new int[groups.size()];
        int[] seqL = new int[groups.size()];
        double[] sum = new double[groups.size()];
        for (int u = 0; u < n; u++) {
            int g = ringOf[root[u]];
            if (g < 0) {
                continue;
            }
            for (int i = 0; i < topK; i++) {
                int j = u * topK + i;
                int v = nbr[j];
                if (v < 0 || strength[j] < params.ringStrength()) {
                    break;
                }
                if (u < v && root[v] == root[u] && lists(v, u)) {
                    links[g]++;
                    itemL[g] += items[j] > 0 ? 1 : 0;
                    amountL[g] += amounts[j] > 0 ? 1 : 0;
                    seqL[g] += jaccard[j] > 0 ? 1 : 0;
                    sum[g] += strength[j];
                }
            }
        }
        List<Ring> out = new ArrayList<>();
        for (int g = 0; g < groups.size(); g++) {
            out.add(new Ring(0, groups.get(g), links[g], itemL[g], amountL[g], seqL[g], links[g] == 0 ? 0 : sum[g] / links[g]));
        }
        out.sort(Comparator.comparingInt(Ring::size).reversed().thenComparing(Comparator.comparingDouble(Ring::meanStrength).reversed()));
        List<Ring> numbered = new ArrayList<>(out.size());
        for (int i = 0; i < out.size(); i++) {
            Ring r = out.get(i);
            numbered.add(new Ring(i + 1, r.members(), r.links(), r.itemLinks(), r.amountLinks(), r.sequenceLinks(), r.meanStrength()));
        }
        rings = List.copyOf(numbered);
        return rings;
    }

    /** Share of a ring's members labelled fraud among its labelled members; NaN when none is labelled. */
    public double fraudShare(Ring r, Function<String, Boolean> label) {
        int labelled = 0;
        int fraud = 0;
        for (int u : r.members()) {
            Boolean f = label.apply(userIds[u]);
            if (f != null) {
                labelled++;
                fraud += f ? 1 : 0;
            }
        }
        return labelled == 0 ? Double.NaN : fraud / (double) labelled;
    }

    private static int find(int[] parent, int x) {
        while (parent[x] != x) {
            parent[x] = parent[parent[x]];
            x = parent[x];
        }
        return x;
    }
}
