package dev.seqwatch.detect;

import com.fasterxml.jackson.databind.JsonNode;
import dev.seqwatch.common.UserFacingException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * The parameters a detector accepts, each with its type and range: the one place where a
 * {@code --param} given for training and a parameter read from a model file (which may come from
 * elsewhere) are checked, before anything is allocated, trained or stored. A name a detector does not
 * know is refused for training (a typo must not be ignored silently); in a model file, only the
 * stored names are checked (a file may carry informational entries such as the backend it was
 * trained on).
 */
public final class ParamSpec {

    private enum Type { INT, REAL, BOOL, CHOICE, TEXT }

    private record Param(String name, Type type, double min, double max, boolean minOpen, List<String> choices,
                         boolean training, boolean stored) {
        String range() {
            return switch (type) {
                case INT -> fmt(min) + " to " + fmt(max);
                case REAL -> (minOpen ? "more than " + fmt(min) + " and at most " : fmt(min) + " to ") + fmt(max);
                case BOOL -> "true or false";
                case CHOICE -> String.join(", ", choices);
                case TEXT -> "text";
            };
        }
    }

    private final String detector;
    private final Map<String, Param> params = new LinkedHashMap<>();

    private ParamSpec(String detector) {
        this.detector = detector;
    }

    /** A spec for {@code detector} with no parameters yet. */
    public static ParamSpec of(String detector) {
        return new ParamSpec(detector);
    }

    /** A whole number in {@code [min, max]}, given for training and stored under the same name. */
    public ParamSpec integer(String name, long min, long max) {
        return add(new Param(name, Type.INT, min, max, false, List.of(), true, true));
    }

    /** A finite real number in {@code [min, max]} ({@code (min, max]} when {@code minOpen}). */
    public ParamSpec real(String name, double min, double max, boolean minOpen) {
        return add(new Param(name, Type.REAL, min, max, minOpen, List.of(), true, true));
    }

    public ParamSpec bool(String name) {
        return add(new Param(name, Type.BOOL, 0, 0, false, List.of(), true, true));
    }

    /** One of {@code choices} (case as given). */
    public ParamSpec choice(String name, String... choices) {
        return add(new Param(name, Type.CHOICE, 0, 0, false, List.of(choices), true, true));
    }

    /** Free text, checked by the detector itself (e.g. a member list). */
    public ParamSpec text(String name) {
        return add(new Param(name, Type.TEXT, 0, 0, false, List.of(), true, true));
    }

    /** Makes the parameter added last one that only a model file holds (not a {@code --param}). */
    public ParamSpec storedOnly() {
        Param last = last();
        params.put(last.name(), new Param(last.name(), last.type(), last.min(), last.max(), last.minOpen(), last.choices(),
                false, true));
        return this;
    }

    /** Makes the parameter added last one that is given for training but stored under another name. */
    public ParamSpec trainingOnly() {
        Param last = last();
        params.put(last.name(), new Param(last.name(), last.type(), last.min(), last.max(), last.minOpen(), last.choices(),
                true, false));
        return this;
    }

    private Param last() {
        if (params.isEmpty()) {
            throw new IllegalStateException("no parameter yet");
        }
        Param last = null;
        for (Param p : params.values()) {
            last = p;
        }
        return last;
    }

    private ParamSpec add(Param p) {
        if (params.put(p.name(), p) != null) {
            throw new IllegalStateException(detector + ": parameter " + p.name() + " declared twice");
        }
        return this;
    }

    public String detector() {
        return detector;
    }

    /** The names accepted for training, sorted. */
    public List<String> trainingNames() {
        TreeSet<String> names = new TreeSet<>();
        params.values().stream().filter(Param::training).forEach(p -> names.add(p.name()));
        return List.copyOf(names);
    }

    /** A line per training parameter: name and range (for help texts and messages). */
    public List<String> describe() {
        List<String> out = new ArrayList<>();
        for (String n : trainingNames()) {
            out.add(n + " (" + params.get(n).range() + ")");
        }
        return out;
    }

    /**
     * Checks the {@code --param} values for training: every name known, every value of its type and
     * in its range. Throws a {@link UserFacingException} naming the first problem.
     */
    public void checkTraining(Map<String, String> given) {
        for (Map.Entry<String, String> e : new java.util.TreeMap<>(given).entrySet()) {
            Param p = params.get(e.getKey());
            if (p == null || !p.training()) {
                throw new UserFacingException(detector + ": unknown parameter '" + e.getKey() + "'; "
                        + (trainingNames().isEmpty() ? "it takes no parameters" : "known: " + String.join(", ", describe())));
            }
            String problem = problem(p, e.getValue() == null ? "" : e.getValue().trim());
            if (problem != null) {
                throw new UserFacingException(detector + ": --param " + p.name() + "=" + e.getValue() + " " + problem);
            }
        }
    }

    /**
     * Checks the {@code params} object of a model file before the detector reads it: every stored
     * parameter present must be of its type and in its range. {@code source} names the file.
     */
    public void checkStored(JsonNode stored, String source) {
        if (stored == null || stored.isMissingNode() || stored.isNull()) {
            return;
        }
        if (!stored.isObject()) {
            throw new UserFacingException(source + ": damaged " + detector + " model file (params is not an object)");
        }
        for (Param p : params.values()) {
            if (!p.stored() || !stored.has(p.name())) {
                continue;
            }
            JsonNode v = stored.get(p.name());
            String problem;
            if (p.type() == Type.TEXT) {
                problem = v.isTextual() || v.isArray() ? null : "is not text";
            } else if (p.type() == Type.BOOL) {
                problem = v.isBoolean() || v.isTextual() ? problem(p, v.asText()) : "is not true or false";
            } else if (p.type() == Type.CHOICE) {
                problem = v.isTextual() ? problem(p, v.asText()) : "is not one of " + p.range();
            } else {
                problem = v.isNumber() || v.isTextual() ? problem(p, v.asText()) : "is not a number";
            }
            if (problem != null) {
                throw new UserFacingException(source + ": damaged or crafted " + detector + " model file: "
                        + p.name() + "=" + abbreviate(v.toString()) + " " + problem);
            }
        }
    }

    /** Null when {@code value} is a valid value of {@code p}, else what is wrong with it. */
    private static String problem(Param p, String value) {
        switch (p.type()) {
            case TEXT:
                return value.length() > 4096 ? "is longer than 4,096 characters" : null;
            case BOOL:
                return value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false") ? null : "must be true or false";
            case CHOICE:
                return p.choices().contains(value.toLowerCase(Locale.ROOT)) ? null : "must be one of " + p.range();
            case INT: {
                long x;
                try {
                    x = Long.parseLong(value);
                } catch (NumberFormatException e) {
                    return "is not a whole number (allowed: " + p.range() + ")";
                }
                return x < p.min() || x > p.max() ? "is out of range (allowed: " + p.range() + ")" : null;
            }
            default: {
                double x;
                try {
                    x = Double.parseDouble(value);
                } catch (NumberFormatException e) {
                    return "is not a number (allowed: " + p.range() + ")";
                }
                if (!Double.isFinite(x)) {
                    return "is not a finite number (allowed: " + p.range() + ")";
                }
                boolean low = p.minOpen() ? x <= p.min() : x < p.min();
                return low || x > p.max() ? "is out of range (allowed: " + p.range() + ")" : null;
            }
        }
    }

    private static String fmt(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? String.format(Locale.ROOT, "%,d", (long) d) : String.valueOf(d);
    }

    private static String abbreviate(String s) {
        return s.length() > 60 ? s.substring(0, 60) + "..." : s;
    }

    /** True when a model file's {@code params} may hold {@code name} (and this spec range-checks it). */
    public boolean declaresStored(String name) {
        Param p = params.get(name);
        return p != null && p.stored();
    }
}
