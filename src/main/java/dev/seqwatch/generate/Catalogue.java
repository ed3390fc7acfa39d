package dev.seqwatch.generate;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The shop: categories with a skewed popularity and a price level each, and items with
 * log-normal prices. Items of category {@code c} have the contiguous ids
 * {@code [firstItem(c), firstItem(c+1))}, so a crawler walking ids walks a category.
 */
final class Catalogue {
    static final int ITEM_ID_BASE = 100_000;
    static final int CATEGORY_ID_BASE = 1_000;

    private final int categories;
    private final int[] firstItem;        // length categories + 1
    private final int[] itemCategory;
    private final int[] priceCents;
    private final double[] categoryCumulative;
    private final double[] categoryMedianPrice;
    private final int[] cheapCategories;
    private final int[] luxuryCategories;

    Catalogue(int categories, int items, long seed) {
        SplittableRandom r = new SplittableRandom(Rand.mix(seed, 0xCA7A10L));
        this.categories = categories;
        // popularity: Zipf over a random order of categories
        int[] rank = Rand.permutation(categories, r);
        double[] weight = new double[categories];
        double total = 0;
        for (int c = 0; c < categories; c++) {
            weight[c] = 1.0 / Math.pow(rank[c] + 1, 0.9);
            total += weight[c];
        }
        categoryCumulative = new double[categories];
        double acc = 0;
        for (int c = 0; c < categories; c++) {
            acc += weight[c] / total;
            categoryCumulative[c] = acc;
        }
        categoryCumulative[categories - 1] = 1.0;
        // sizes proportional to popularity (at least 20 items)
        firstItem = new int[categories + 1];
        int remaining = items - 20 * categories;
        for (int c = 0; c < categories; c++) {
            firstItem[c + 1] = firstItem[c] + 20 + (int) Math.round(Math.max(0, remaining) * weight[c] / total);
        }
        int n = firstItem[categories];
        itemCategory = new int[n];
        priceCents = new int[n];
        categoryMedianPrice = new double[categories];
        for (int c = 0; c < categories; c++) {
            double median = Math.exp(Math.log(25) + 0.95 * r.nextGaussian());
            categoryMedianPrice[c] = Math.min(2_000, Math.max(1.5, median));
            for (int i = firstItem[c]; i < firstItem[c + 1]; i++) {
                itemCategory[i] = c;
                double price = categoryMedianPrice[c] * Math.exp(0.55 * r.nextGaussian());
                priceCents[i] = (int) Math.max(29, Math.min(900_000, Math.round(price * 100)));
            }
        }
        Integer[] byPrice = new Integer[categories];
        for (int c = 0; c < categories; c++) {
            byPrice[c] = c;
        }
        Arrays.sort(byPrice, (a, b) -> Double.compare(categoryMedianPrice[a], categoryMedianPrice[b]));
        int k = Math.max(2, categories / 7);
        cheapCategories = new int[k];
        luxuryCategories = new int[k];
        for (int i = 0; i < k; i++) {
            cheapCategories[i] = byPrice[i];
            luxuryCategories[i] = byPrice[categories - 1 - i];
        }
    }

    int categories() {
        return categories;
    }

    int items() {
        return itemCategory.length;
    }

    /** A category by global popularity. */
    int popularCategory(SplittableRandom r) {
        int i = Arrays.binarySearch(categoryCumulative, r.nextDouble());
        return Math.min(categories - 1, i >= 0 ? i : -i - 1);
    }

    /** An item of the category; a few items get most of the views (power law on the rank). */
    int item(int category, SplittableRandom r) {
        int n = firstItem[category + 1] - firstItem[category];
        return firstItem[category] + (int) (n * Math.pow(r.nextDouble(), 2.2));
    }

    /** The cheapest of a few candidate items of the category. */
    int cheapItem(int category, SplittableRandom r) {
        int best = item(category, r);
        for (int k = 0; k < 6; k++) {
            int i = firstItem[category] + r.nextInt(firstItem[category + 1] - firstItem[category]);
            if (priceCents[i] < priceCents[best]) {
                best = i;
            }
        }
        return best;
    }

    /** The dearest of a few candidate items of the category. */
    int dearItem(int category, SplittableRandom r) {
        int best = item(category, r);
        for (int k = 0; k < 6; k++) {
            int i = firstItem[category] + r.nextInt(firstItem[category + 1] - firstItem[category]);
            if (priceCents[i] > priceCents[best]) {
                best = i;
            }
        }
        return best;
    }

    int firstItem(int category) {
        return firstItem[category];
    }

    int endItem(int category) {
        return firstItem[category + 1];
    }

    int category(int item) {
        return itemCategory[item];
    }

    int priceCents(int item) {
        return priceCents[item];
    }

    int cheapCategory(SplittableRandom r) {
        return cheapCategories[r.nextInt(cheapCategories.length)];
    }

    int luxuryCategory(SplittableRandom r) {
        return luxuryCategories[r.nextInt(luxuryCategories.length)];
    }
}
