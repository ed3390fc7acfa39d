package dev.seqwatch.ingest;

import java.io.Closeable;
import java.io.IOException;
import java.util.List;

/** Reads records of one log file. */
interface RowSource extends Closeable {

    /** Column names, or null for a file without a header. */
    List<String> header();

    /** Whether every record must have as many fields as the header / first record. */
    boolean fixedColumns();

    /** Columns named in the mapping that the source should provide even if it has not seen them yet. */
    default void declareColumns(java.util.Collection<String> names) {
    }

    /** True when the file holds no record at all (only blank lines). */
    boolean isEmpty();

    /** Number of fields of the first record (the header, if any), or -1 when not known. */
    default int firstRecordWidth() {
        return -1;
    }

    /** Reads the next record into {@code row}; false at the end. */
    boolean next(RawRow row) throws IOException;
}
