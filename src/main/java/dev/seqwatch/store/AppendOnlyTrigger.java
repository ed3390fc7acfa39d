package dev.seqwatch.store;

import org.h2.api.Trigger;

import java.sql.Connection;
import java.sql.SQLException;

/** Refuses UPDATE and DELETE on audit tables, so label history cannot be rewritten even with SQL. */
public final class AppendOnlyTrigger implements Trigger {
    private String table;

    @Override
    public void init(Connection conn, String schemaName, String triggerName, String tableName, boolean before, int type) {
        this.table = tableName;
    }

    @Override
    public void fire(Connection conn, Object[] oldRow, Object[] newRow) throws SQLException {
        throw new SQLException("table " + table + " is append-only: history cannot be changed or deleted");
    }
}
