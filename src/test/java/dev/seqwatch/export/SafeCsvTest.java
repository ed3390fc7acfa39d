package dev.seqwatch.export;

import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SafeCsvTest {

    @Test
    void formulaLikeCellsGetAnApostropheNumbersAndPlainTextDoNot() {
        for (String f : List.of("=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx", "-", "-Infinity", "-1e5+1")) {
            assertThat(SafeCsv.cell(f)).as(f).isEqualTo("'" + f);
        }
        for (String plain : List.of("u123", "a=b", "-0.25", "-5", "-1.5e-3", "3.42", "'=already")) {
            assertThat(SafeCsv.cell(plain)).as(plain).isEqualTo(plain);
        }
        assertThat(SafeCsv.cell(null)).isEmpty();
    }

    @Test
    void writesQuotedNeutralisedRecordsAtomically(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("x.csv");
        SafeCsv.write(out, csv -> {
            csv.row("id", "note");
            csv.row("=1+1", "a,\"b\"\nc");
        });
        try (CsvReader<CsvRecord> r = CsvReader.builder().ofCsvRecord(out)) {
            List<CsvRecord> rows = r.stream().toList();
            assertThat(rows.get(1).getField(0)).isEqualTo("'=1+1");
            assertThat(rows.get(1).getField(1)).isEqualTo("a,\"b\"\nc");
        }
        try (var files = Files.list(dir)) {
            assertThat(files.toList()).containsExactly(out);
        }
    }
}
