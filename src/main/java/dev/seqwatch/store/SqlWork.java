package dev.seqwatch.store;

import java.sql.Connection;
import java.sql.SQLException;

/** A unit of database work on a connection. */
@FunctionalInterface
public interface SqlWork<T> {
    T run(Connection c) throws SQLException;
}
