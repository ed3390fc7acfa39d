package dev.seqwatch.ingest;

/** The event fields Seqwatch reads from a log, in the order of {@link ColumnMapping}. */
public enum Field {
    USER("user"), TIME("time"), ACTION("action"), ITEM("item"), CATEGORY("category"), AMOUNT("amount");

    private final String option;

    Field(String option) {
        this.option = option;
    }

    /** Name of the command-line option that maps it, e.g. "user" for --user. */
    public String option() {
        return option;
    }

    public boolean required() {
        return this == USER || this == TIME || this == ACTION;
    }
}
