package dev.seqwatch.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Looks at the first bytes of a log before it is parsed: a byte-order mark (UTF-8, UTF-16 LE/BE) is
 * skipped and decides the encoding; UTF-16 without a mark is recognised by its zero bytes; and a file
 * that is mostly undecodable or control bytes (random data, a ZIP, an image) is called binary, so it
 * is refused in one readable line instead of being parsed into a garbage header.
 */
final class TextSniffer {
    static final int SAMPLE = 8192;

    /** The encoding to read with, the first line (for format detection), and whether it looks binary. */
    record Result(Charset charset, String firstLine, boolean binary) {
    }

    private TextSniffer() {
    }

    /**
     * Reads up to {@link #SAMPLE} bytes of {@code in} (which must support mark/reset) and leaves the
     * stream positioned after the byte-order mark, if any.
     */
    static Result sniff(InputStream in, Charset declared) throws IOException {
        in.mark(SAMPLE + 1);
        byte[] b = in.readNBytes(SAMPLE);
        in.reset();
        int n = b.length;
        Charset cs = declared;
        int bom = 0;
        if (n >= 3 && (b[0] & 0xFF) == 0xEF && (b[1] & 0xFF) == 0xBB && (b[2] & 0xFF) == 0xBF) {
            cs = StandardCharsets.UTF_8;
            bom = 3;
        } else if (n >= 2 && (b[0] & 0xFF) == 0xFF && (b[1] & 0xFF) == 0xFE) {
            cs = StandardCharsets.UTF_16LE;
            bom = 2;
        } else if (n >= 2 && (b[0] & 0xFF) == 0xFE && (b[1] & 0xFF) == 0xFF) {
            cs = StandardCharsets.UTF_16BE;
            bom = 2;
        } else if (n >= 8) {
            int zeroEven = 0;
            int zeroOdd = 0;
            for (int i = 0; i + 1 < n; i += 2) {
                zeroEven += b[i] == 0 ? 1 : 0;
                zeroOdd += b[i + 1] == 0 ? 1 : 0;
            }
            int pairs = n / 2;
            if (zeroOdd * 10 >= pairs * 4 && zeroEven * 20 < pairs) {
                cs = StandardCharsets.UTF_16LE;   // ASCII text as UTF-16LE: every second byte is zero
            } else if (zeroEven * 10 >= pairs * 4 && zeroOdd * 20 < pairs) {
                cs = StandardCharsets.UTF_16BE;
            }
        }
        in.skipNBytes(bom);
        CharBuffer text = cs.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE).decode(ByteBuffer.wrap(b, bom, n - bom));
        int bad = 0;
        int chars = text.length();
        // the sample may end inside a multi-byte character: ignore the last few
        for (int i = 0; i < Math.max(0, chars - 2); i++) {
            char c = text.charAt(i);
            if (c == '\uFFFD' || (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f') || c == 0x7f) {
                bad++;
            }
        }
        boolean binary = bad >= 8 && bad * 10 > chars;
        String s = text.toString();
        int nl = s.indexOf('\n');
        return new Result(cs, nl < 0 ? s : s.substring(0, nl), binary);
    }
}
