package dev.seqwatch.generate;

import dev.seqwatch.common.UserFacingException;

import java.time.Instant;
import java.util.List;

/**
 * What to generate: how many users, which share of them are fraudsters, the random seed, the time
 * span of the log and the fraud patterns dealt to the fraudsters (in this order, round-robin). The
 * same configuration always gives byte-identical files.
 */
public record GeneratorConfig(int users, double fraudRate, long seed, Instant start, int days, List<String> patterns) {

    public static final Instant DEFAULT_START = Instant.parse("2026-03-01T00:00:00Z");
    public static final int DEFAULT_DAYS = 30;
    public static final int MAX_USERS = 50_000_000;

    public GeneratorConfig {
        if (users < 1) {
            throw new UserFacingException("--users must be at least 1, got " + users);
        }
        if (users > MAX_USERS) {
            throw new UserFacingException("--users must be at most " + MAX_USERS + ", got " + users);
        }
        if (!(fraudRate >= 0 && fraudRate <= 1)) {
            throw new UserFacingException("--fraud-rate must be between 0 and 1, got " + fraudRate);
        }
        if (days < 1 || days > 3650) {
            throw new UserFacingException("--days must be between 1 and 3650, got " + days);
        }
        if (start == null) {
            throw new UserFacingException("a start time is required");
        }
        patterns = List.copyOf(patterns == null || patterns.isEmpty() ? SessionGenerator.ALL_PATTERNS : patterns);
        for (String p : patterns) {
            if (!SessionGenerator.ALL_PATTERNS.contains(p)) {
                throw new UserFacingException("unknown fraud pattern '" + p + "'; choose from "
                        + String.join(", ", SessionGenerator.ALL_PATTERNS));
            }
        }
        if (new java.util.HashSet<>(patterns).size() != patterns.size()) {
            throw new UserFacingException("a fraud pattern is named twice in " + String.join(",", patterns));
        }
    }

    /** All eight patterns. */
    public GeneratorConfig(int users, double fraudRate, long seed, Instant start, int days) {
        this(users, fraudRate, seed, start, days, SessionGenerator.ALL_PATTERNS);
    }

    public static GeneratorConfig of(int users, double fraudRate, long seed) {
        return new GeneratorConfig(users, fraudRate, seed, DEFAULT_START, DEFAULT_DAYS);
    }

    long periodSeconds() {
        return days * 86_400L;
    }
}
