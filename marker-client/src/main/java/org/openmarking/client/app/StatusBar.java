package org.openmarking.client.app;

import javafx.beans.binding.Bindings;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.paint.Color;
import javafx.scene.shape.Circle;
import org.openmarking.client.session.SessionViewModel;

/**
 * The strip at the top of every screen once logged in: who is marking, the connection state,
 * marks still waiting to be sent, and the server's latest message, shown at once.
 */
final class StatusBar extends HBox {
    StatusBar(SessionViewModel session, Runnable logout) {
        setId("statusBar");
        Circle dot = new Circle(6);
        dot.fillProperty().bind(Bindings.when(session.onlineProperty()).then(Color.web("#2e7d32")).otherwise(Color.web("#c62828")));
        Label connection = new Label();
        connection.setId("connection");
        connection.textProperty().bind(Bindings.createStringBinding(() -> !session.onlineProperty().get()
                ? "Offline: reconnecting; your marks are kept"
                : session.streamOpenProperty().get() ? "Connected" : "Connected (messages reconnecting)",
                session.onlineProperty(), session.streamOpenProperty()));
        Label uploads = new Label();
        uploads.setId("uploads");
        uploads.textProperty().bind(Bindings.createStringBinding(() -> {
            int n = session.uploads().pendingCountProperty().get();
            return n == 0 ? "all marks sent" : n + (n == 1 ? " mark" : " marks") + " waiting to be sent";
        }, session.uploads().pendingCountProperty()));
        Label banner = new Label();
        banner.setId("banner");
        banner.textProperty().bind(session.bannerProperty());
        banner.setStyle("-fx-font-weight: bold; -fx-text-fill: #8a4b00;");
        banner.setWrapText(true);
        Label who = new Label(session.session().displayName());
        Button out = new Button("Log out");
        out.setId("logout");
        out.setFocusTraversable(false);
        out.setOnAction(e -> logout.run());
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        Label bar = new Label("|");
        bar.visibleProperty().bind(banner.textProperty().isNotEmpty());
        getChildren().addAll(dot, connection, new Label("|"), uploads, bar, banner, spacer, who, out);
        setSpacing(8);
        setAlignment(Pos.CENTER_LEFT);
        setPadding(new Insets(5, 10, 5, 10));
        setStyle("-fx-background-color: #eceff1; -fx-border-color: #cfd8dc; -fx-border-width: 0 0 1 0;");
    }
}
