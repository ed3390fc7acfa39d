package dev.seqwatch.ingest;

import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Which source column feeds which event field: by header name (any case) or, for files without a
 * header, by 0-based position. Fields not mapped are auto-detected from the header where possible.
 */
public final class ColumnMapping {
    private final Map<Field, String> spec = new EnumMap<>(Field.class);

    public static ColumnMapping auto() {
        return new ColumnMapping();
    }

    public ColumnMapping set(Field f, String column) {
        if (column != null && !column.isBlank()) {
            spec.put(f, column.trim());
        }
        return this;
    }

    public String get(Field f) {
        return spec.get(f);
    }

    public Map<Field, String> asMap() {
        return Map.copyOf(spec);
    }

    /** Aliases tried, in order, when a field is not mapped explicitly. */
    static final Map<Field, List<String>> ALIASES = Map.of(
            Field.USER, List.of("user_id", "userid", "user", "visitorid", "visitor_id", "uid", "customer_id",
                    "customerid", "client_id", "account_id", "member_id", "session_user"),
            Field.TIME, List.of("timestamp", "time", "ts", "event_time", "eventtime", "datetime", "date_time",
                    "click_time", "created_at", "time_stamp", "date"),
            Field.ACTION, List.of("behavior_type", "behaviour_type", "action", "event", "event_type", "eventtype",
                    "behavior", "behaviour", "type", "activity"),
            Field.ITEM, List.of("item_id", "itemid", "item", "product_id", "productid", "product", "sku", "asin"),
            Field.CATEGORY, List.of("category_id", "categoryid", "category", "cat_id", "category_code", "cat"),
            Field.AMOUNT, List.of("amount", "price", "value", "total", "revenue", "order_amount"));

    /**
     * Resolves the mapping against {@code header} (null for files without one) into column indexes,
     * -1 for absent optional fields.
     *
     * @throws IllegalArgumentException with a message naming the field and the columns available
     */
    public int[] resolve(List<String> header) {
        int[] idx = new int[Field.values().length];
        for (Field f : Field.values()) {
            String s = spec.get(f);
            idx[f.ordinal()] = s != null ? explicit(f, s, header) : (header == null ? -1 : byAlias(f, header));
            if (idx[f.ordinal()] < 0 && f.required()) {
                if (header == null) {
                    throw new IllegalArgumentException("no column given for " + f.option()
                            + ": a file without a header needs positions, e.g. --" + f.option() + " 0");
                }
                throw new IllegalArgumentException("cannot find the " + f.option() + " column in header " + shortList(header)
                        + "; name it with --" + f.option() + " COLUMN"
                        + (looksLikeData(header) ? " (the first line looks like data: if the file has no header, use --no-header)" : ""));
            }
        }
        for (int i = 0; i < idx.length; i++) {
            for (int j = i + 1; j < idx.length; j++) {
                if (idx[i] >= 0 && idx[i] == idx[j] && spec.containsKey(Field.values()[i]) && spec.containsKey(Field.values()[j])) {
                    throw new IllegalArgumentException("--" + Field.values()[i].option() + " and --"
                            + Field.values()[j].option() + " name the same column");
                }
            }
        }
        return idx;
    }

    private static int explicit(Field f, String s, List<String> header) {
        if (header != null) {
            for (int i = 0; i < header.size(); i++) {
                if (header.get(i).trim().equalsIgnoreCase(s)) {
                    return i;
                }
            }
        }
        if (s.chars().allMatch(Character::isDigit) && s.length() < 7) {
            int pos = Integer.parseInt(s);
            if (header != null && pos >= header.size()) {
                throw new IllegalArgumentException("--" + f.option() + " " + s + ": the file has only " + header.size() + " columns");
            }
            return pos;
        }
        throw new IllegalArgumentException("--" + f.option() + " " + s + ": no such column"
                + (header == null ? " (without a header, give a 0-based position)" : " in header " + shortList(header)));
    }

    /** The header for a message: at most 20 names, each at most 40 characters. */
    static String shortList(List<String> header) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < header.size() && i < 20; i++) {
            String h = header.get(i);
            sb.append(i == 0 ? "" : ", ").append(h.length() > 40 ? h.substring(0, 40) + "..." : h);
        }
        if (header.size() > 20) {
            sb.append(", ... (").append(header.size()).append(" columns)");
        }
        return sb.append(']').toString();
    }

    private static int byAlias(Field f, List<String> header) {
        for (String alias : ALIASES.get(f)) {
            for (int i = 0; i < header.size(); i++) {
                if (normalise(header.get(i)).equals(alias)) {
                    return i;
                }
            }
        }
        return -1;
    }

    private static String normalise(String h) {
        return h.trim().toLowerCase(Locale.ROOT).replace(' ', '_').replace('-', '_');
    }

    private static boolean looksLikeData(List<String> header) {
        return header.stream().anyMatch(h -> !h.isBlank() && h.trim().chars().allMatch(c -> Character.isDigit(c) || c == '.' || c == '-'));
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        spec.forEach((f, c) -> sb.append(sb.length() == 0 ? "" : " ").append("--").append(f.option()).append(' ').append(c));
        return sb.length() == 0 ? "auto" : sb.toString();
    }
}
