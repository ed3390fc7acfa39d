package dev.seqwatch.ui.common;

import javafx.fxml.FXMLLoader;
import javafx.scene.Parent;
import javafx.util.Callback;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.ResourceBundle;

/** Loads {@code /fxml/NAME.fxml} with the resource bundle and a controller factory (constructor injection). */
public final class ViewLoader {
    private final ResourceBundle text;
    private final Callback<Class<?>, Object> controllers;

    public ViewLoader(ResourceBundle text, Callback<Class<?>, Object> controllers) {
        this.text = text;
        this.controllers = controllers;
    }

    /** A loaded view and its controller. */
    public record View<C>(Parent root, C controller) {
    }

    public <C> View<C> load(String name) {
        URL url = ViewLoader.class.getResource("/fxml/" + name + ".fxml");
        if (url == null) {
            throw new IllegalStateException("missing view /fxml/" + name + ".fxml");
        }
        FXMLLoader loader = new FXMLLoader(url, text);
        loader.setControllerFactory(controllers);
        try {
            Parent root = loader.load();
            return new View<>(root, loader.getController());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load view " + name + ": " + e.getMessage(), e);
        }
    }

    public ResourceBundle text() {
        return text;
    }
}
