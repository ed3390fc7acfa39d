package dev.seqwatch.ui.common;

import dev.seqwatch.common.CancelledException;
import dev.seqwatch.common.UserFacingException;
import javafx.scene.control.Alert;
import javafx.stage.Window;

import java.util.ResourceBundle;
import java.util.function.Supplier;

/** Shows failures as short readable dialogs: the message for the user, never a stack trace. */
public final class ErrorDialogs {
    private final ResourceBundle text;
    private final Supplier<Window> owner;

    public ErrorDialogs(ResourceBundle text, Supplier<Window> owner) {
        this.text = text;
        this.owner = owner;
    }

    /** The text shown for {@code t}: a user-facing message as-is, anything else briefly (details go to the log). */
    public static String messageFor(Throwable t, ResourceBundle text) {
        Throwable cause = t;
        while (cause != null && !(cause instanceof UserFacingException) && cause.getCause() != null
                && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        if (cause instanceof UserFacingException u) {
            return u.getMessage();
        }
        if (t instanceof CancelledException) {
            return text.getString("error.cancelled");
        }
        String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        int nl = m.indexOf('\n');
        return text.getString("error.unexpected") + " " + (nl < 0 ? m : m.substring(0, nl));
    }

    public void show(Throwable t) {
        if (!(t instanceof UserFacingException) && !(t instanceof CancelledException)) {
            t.printStackTrace(); // for the log, not for the dialog
        }
        Alert a = new Alert(Alert.AlertType.ERROR);
        a.initOwner(owner.get());
        a.setTitle(text.getString("error.title"));
        a.setHeaderText(null);
        a.setContentText(messageFor(t, text));
        a.getDialogPane().getStyleClass().add("error-dialog");
        a.show();
    }
}
