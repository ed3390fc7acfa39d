package dev.seqwatch.generate;

/** Receives generated events one by one; absent item, category or amount are -1. */
interface EventSink {
    /**
     * @param second  seconds since the start of the log
     * @param cents   amount in cents, or -1
     */
    void accept(int user, long second, int action, int item, int category, int cents);
}
