package dev.seqwatch.store;

import dev.seqwatch.common.UserFacingException;

/** A database failure, reported to the user with H2's first message line. */
public class StoreException extends UserFacingException {
    public StoreException(String message) {
        super(message);
    }

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
