package org.openmarking.client.connect;

import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.PasswordField;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.TextField;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.VBox;
import javafx.scene.text.Font;
import javafx.scene.text.FontWeight;

/** The connect-and-log-in screen: a thin view over {@link ConnectViewModel}. */
public final class ConnectView extends VBox {
    public ConnectView(ConnectViewModel vm, Runnable login) {
        setId("connectView");
        Label title = new Label("Open Marking");
        title.setFont(Font.font("System", FontWeight.BOLD, 26));
        Label subtitle = new Label("Log in to mark from home");

        TextField server = field("server", vm.serverUrlProperty(), "https://marking.example.org");
        TextField ca = field("caFile", vm.caFileProperty(), "CA certificate file (PEM), for a private CA");
        TextField pin = field("caPin", vm.caPinProperty(), "or the CA's SHA-256 fingerprint");
        TextField user = field("username", vm.usernameProperty(), "");
        PasswordField password = new PasswordField();
        password.setId("password");
        password.textProperty().bindBidirectional(vm.passwordProperty());

        GridPane grid = new GridPane();
        grid.setHgap(10);
        grid.setVgap(8);
        grid.addRow(0, new Label("Server"), server);
        grid.addRow(1, new Label("CA file"), ca);
        grid.addRow(2, new Label("CA fingerprint"), pin);
        grid.addRow(3, new Label("User name"), user);
        grid.addRow(4, new Label("Password"), password);
        server.setPrefColumnCount(34);

        Button go = new Button("Log in");
        go.setId("login");
        go.setDefaultButton(true);
        go.disableProperty().bind(vm.busyProperty());
        go.setOnAction(e -> login.run());
        ProgressIndicator busy = new ProgressIndicator();
        busy.setPrefSize(22, 22);
        busy.visibleProperty().bind(vm.busyProperty());
        Label error = new Label();
        error.setId("loginError");
        error.setWrapText(true);
        error.setStyle("-fx-text-fill: #b00020;");
        error.textProperty().bind(vm.errorProperty());
        Label remembered = new Label("The server and its certificate are remembered on this computer; your password never is.");
        remembered.setStyle("-fx-text-fill: #666;");

        getChildren().addAll(title, subtitle, grid, new VBox(6, go, busy), error, remembered);
        setSpacing(12);
        setPadding(new Insets(40));
        setAlignment(Pos.TOP_LEFT);
        setMaxWidth(640);
        (vm.usernameProperty().get().isBlank() ? user : password).requestFocus();
        sceneProperty().addListener((o, was, now) -> {
            if (now != null) {
                user.requestFocus();
            }
        });
    }

    private static TextField field(String id, javafx.beans.property.StringProperty p, String prompt) {
        TextField f = new TextField();
        f.setId(id);
        f.setPromptText(prompt);
        f.textProperty().bindBidirectional(p);
        return f;
    }
}
