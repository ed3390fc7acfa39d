package dev.seqwatch.ingest;

import org.junit.jupiter.api.Test;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class TextSnifferTest {

    private static TextSniffer.Result sniff(byte[] b) throws Exception {
        return TextSniffer.sniff(new BufferedInputStream(new ByteArrayInputStream(b)), StandardCharsets.UTF_8);
    }

    private static byte[] rows(String row, int n, Charset cs) {
        return (row + "\n").repeat(n).getBytes(cs);
    }

    @Test
    void textInAWrongEightBitEncodingIsStillText() throws Exception {
        // every row has one undecodable byte: rows are rejected one by one, the file is not "binary"
        TextSniffer.Result r = sniff(rows("J\u00fcrgen,1511544070,pv,i1", 500, StandardCharsets.ISO_8859_1));
        assertThat(r.binary()).isFalse();
        assertThat(r.charset()).isEqualTo(StandardCharsets.UTF_8);
        assertThat(r.firstLine()).isEqualTo("J\uFFFDrgen,1511544070,pv,i1");
    }

    @Test
    void cjkTabsAndCrLfAreText() throws Exception {
        TextSniffer.Result r = sniff(rows("\u7528\u6237\t2017-11-24T10:00:00Z\t\u8d2d\u4e70\r", 300, StandardCharsets.UTF_8));
        assertThat(r.binary()).isFalse();
        assertThat(r.firstLine()).isEqualTo("\u7528\u6237\t2017-11-24T10:00:00Z\t\u8d2d\u4e70\r");
    }

    @Test
    void aFewNulBytesInRowsAreNotBinary() throws Exception {
        assertThat(sniff(rows("u1,1511544070,p\u0000v,i1", 5, StandardCharsets.UTF_8)).binary()).isFalse();
    }

    @Test
    void randomBytesAreBinary() throws Exception {
        byte[] b = new byte[8192];
        new Random(3).nextBytes(b);
        assertThat(sniff(b).binary()).isTrue();
    }

    @Test
    void byteOrderMarksDecideAndAreSkipped() throws Exception {
        byte[] utf16le = ("\uFEFFuser,time\n").getBytes(StandardCharsets.UTF_16LE);
        BufferedInputStream in = new BufferedInputStream(new ByteArrayInputStream(utf16le));
        TextSniffer.Result r = TextSniffer.sniff(in, StandardCharsets.UTF_8);
        assertThat(r.charset()).isEqualTo(StandardCharsets.UTF_16LE);
        assertThat(r.firstLine()).isEqualTo("user,time");
        assertThat(in.readAllBytes()).isEqualTo("user,time\n".getBytes(StandardCharsets.UTF_16LE));

        assertThat(sniff(("\uFEFFuser,time\n").getBytes(StandardCharsets.UTF_16BE)).charset()).isEqualTo(StandardCharsets.UTF_16BE);
        assertThat(sniff("user,time\nu1,1\n".getBytes(StandardCharsets.UTF_16BE)).charset()).isEqualTo(StandardCharsets.UTF_16BE);
        assertThat(sniff("\uFEFFuser,time\n".getBytes(StandardCharsets.UTF_8)).firstLine()).isEqualTo("user,time");
    }

    @Test
    void aDeclaredEncodingIsUsedWithoutAMark() throws Exception {
        byte[] b = rows("J\u00fcrgen,1511544070,pv", 3, StandardCharsets.ISO_8859_1);
        TextSniffer.Result r = TextSniffer.sniff(new BufferedInputStream(new ByteArrayInputStream(b)), StandardCharsets.ISO_8859_1);
        assertThat(r.charset()).isEqualTo(StandardCharsets.ISO_8859_1);
        assertThat(r.firstLine()).isEqualTo("J\u00fcrgen,1511544070,pv");
    }
}
