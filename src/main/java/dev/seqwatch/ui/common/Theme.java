package dev.seqwatch.ui.common;

import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.scene.Parent;

import java.util.function.Consumer;

/**
 * Light or dark. The stylesheet defines both palettes as looked-up colours; switching adds or
 * removes the {@code theme-dark} style class on the root. Charts (Java2D colours) follow through {@link #follow}.
 */
public final class Theme {
    private final BooleanProperty dark = new SimpleBooleanProperty();

    public BooleanProperty darkProperty() {
        return dark;
    }

    public boolean isDark() {
        return dark.get();
    }

    /** Calls {@code apply} now and on every change. */
    public void follow(Consumer<Boolean> apply) {
        apply.accept(dark.get());
        dark.addListener((o, a, b) -> apply.accept(b));
    }

    public void applyTo(Parent root) {
        follow(d -> {
            root.getStyleClass().remove("theme-dark");
            if (d) {
                root.getStyleClass().add("theme-dark");
            }
        });
    }
}
