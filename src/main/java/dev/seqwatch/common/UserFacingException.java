package dev.seqwatch.common;

/**
 * A failure whose message is written for the person using Seqwatch: it says what was wrong and
 * where (file, line, column) and is shown as-is on the command line and in GUI dialogs.
 */
public class UserFacingException extends RuntimeException {
    public UserFacingException(String message) {
        super(message);
    }

    public UserFacingException(String message, Throwable cause) {
        super(message, cause);
    }
}
