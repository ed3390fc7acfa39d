package dev.seqwatch.ui;

import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.NamedCsvRecord;
import dev.seqwatch.common.ProgressListener;
import dev.seqwatch.detect.DetectorRegistry;
import dev.seqwatch.store.ImportDao;
import dev.seqwatch.store.LabelDao;
import dev.seqwatch.store.Workspace;
import dev.seqwatch.workflow.ModelService;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Manual check only: loads a generated session (events.csv with user_id,timestamp,action,item_id,
 * category_id,amount and labels.csv) with plain JDBC, trains and scores a detector, so the views can
 * be looked at on realistic data before the real importer is available on this branch.
 */
public final class DevDemoLoader {
    public static void main(String[] args) throws Exception {
        Path src = Path.of(args[0]);
        Path ws0 = Path.of(args[1]);
        String detector = args.length > 2 ? args[2] : "markov";
        try (Workspace ws = Workspace.open(ws0)) {
            ws.write(c -> {
                try {
                new ImportDao().start(c, 1, "events.csv", "1".repeat(64), "csv", null, 1, false);
                long id = 1;
                try (PreparedStatement e = c.prepareStatement("INSERT INTO event (id, import_id, user_id, ts, action, item_id, "
                        + "category_id, amount) VALUES (?, 1, ?, ?, ?, ?, ?, ?)");
                     CsvReader<NamedCsvRecord> r = CsvReader.builder().ofNamedCsvRecord(src.resolve("events.csv"))) {
                    for (NamedCsvRecord rec : r) {
                        e.setLong(1, id++);
                        e.setString(2, rec.getField("user_id"));
                        e.setLong(3, Instant.parse(rec.getField("timestamp")).toEpochMilli());
                        e.setString(4, rec.getField("action"));
                        e.setString(5, rec.getField("item_id"));
                        e.setString(6, rec.getField("category_id"));
                        String a = rec.getField("amount");
                        if (a.isEmpty()) {
                            e.setNull(7, java.sql.Types.DOUBLE);
                        } else {
                            e.setDouble(7, Double.parseDouble(a));
                        }
                        e.addBatch();
                    }
                    e.executeBatch();
                }
                new ImportDao().finish(c, 1, id - 1, id - 1, id - 1, 0, 0);
                List<LabelDao.NewLabel> labels = new ArrayList<>();
                try (CsvReader<NamedCsvRecord> r = CsvReader.builder().ofNamedCsvRecord(src.resolve("labels.csv"))) {
                    for (NamedCsvRecord rec : r) {
                        boolean fraud = rec.getField("label").equals("fraud");
                        labels.add(new LabelDao.NewLabel(rec.getField("user_id"), fraud,
                                fraud && !rec.getField("fraud_type").isEmpty() ? rec.getField("fraud_type") : null, null, "sample"));
                    }
                }
                new LabelDao().append(c, labels);
                return null;
                } catch (java.io.IOException ex) {
                    throw new java.io.UncheckedIOException(ex);
                }
            });
            ModelService m = new ModelService(ws, DetectorRegistry.standard());
            var r = m.train(new ModelService.TrainRequest(detector, 0, 42, true, java.util.Map.of(), true), null, ProgressListener.NONE);
            m.score(r.modelId(), ProgressListener.NONE);
            System.out.println("model " + r.modelId() + " " + r.evaluation());
        }
    }
}
