package dev.seqwatch.generate;

import java.nio.file.Path;
import java.util.Map;

/** What {@link SessionGenerator} wrote. */
public record GenerationSummary(Path dir, int users, long events, int fraudUsers,
                                Map<String, Integer> fraudByType, int labelledUsers, long eventsBytes) {
}
