package dev.seqwatch.export;

/**
 * HTML escaping for text that comes from users or logs (user ids, notes, actions, items). Written by
 * hand rather than pulling in a library for it: the five characters below are all that text content
 * and quoted attribute values need (OWASP rule #1); control characters other than tab and newline
 * are dropped because they are not allowed in HTML documents.
 */
public final class Html {
    private Html() {
    }

    public static String escape(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> {
                    if (c >= 0x20 || c == '\t' || c == '\n') {
                        b.append(c);
                    }
                }
            }
        }
        return b.toString();
    }
}
