package dev.seqwatch.cli;

import dev.seqwatch.detect.DetectorRegistry;

import java.util.Iterator;

/** The registry's detector names, for picocli's help text. */
final class DetectorNames implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
        return DetectorRegistry.standard().names().iterator();
    }

    /** The default {@code --detector}: {@link DetectorRegistry#defaultDetector()}. */
    static String defaultDetector(DetectorRegistry r) {
        return r.defaultDetector();
    }
}
