package db.migration;

import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Schema version 5: a label row may be a retraction ({@code label = 'retracted'}): the user is unlabelled
 * again from that row on, and the rows before it stay as they were (the history remains append-only).
 * V1's check on the label column has a generated name, so it is looked up and replaced by a named one.
 */
public class V5__label_retraction extends BaseJavaMigration {
    @Override
    public void migrate(Context context) throws Exception {
        Connection c = context.getConnection();
        List<String> old = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT tc.CONSTRAINT_NAME, cc.CHECK_CLAUSE "
                + "FROM INFORMATION_SCHEMA.TABLE_CONSTRAINTS tc JOIN INFORMATION_SCHEMA.CHECK_CONSTRAINTS cc "
                + "ON tc.CONSTRAINT_SCHEMA = cc.CONSTRAINT_SCHEMA AND tc.CONSTRAINT_NAME = cc.CONSTRAINT_NAME "
                + "WHERE tc.TABLE_SCHEMA = 'PUBLIC' AND tc.TABLE_NAME = 'LABEL' AND tc.CONSTRAINT_TYPE = 'CHECK'");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                if (rs.getString(2).contains("'normal'")) {
                    old.add(rs.getString(1));
                }
            }
        }
        if (old.size() != 1) {
            throw new IllegalStateException("expected one check on label.label, found " + old.size());
        }
        try (Statement s = c.createStatement()) {
            s.execute("ALTER TABLE label DROP CONSTRAINT \"" + old.get(0).replace("\"", "\"\"") + "\"");
            s.execute("ALTER TABLE label ALTER COLUMN label SET DATA TYPE VARCHAR(10)");
            s.execute("ALTER TABLE label ADD CONSTRAINT label_value CHECK (label IN ('normal', 'fraud', 'retracted'))");
        }
    }
}
