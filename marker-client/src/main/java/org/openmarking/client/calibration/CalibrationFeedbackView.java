package org.openmarking.client.calibration;

import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.geometry.Insets;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.scene.text.Font;
import javafx.scene.text.FontWeight;
import org.openmarking.client.api.Wire.CalibrationFeedbackItem;

/** After a calibration set: each item with the marker's mark, the definitive mark and the rationale. */
public final class CalibrationFeedbackView extends VBox {
    public CalibrationFeedbackView(CalibrationFeedbackViewModel vm, Runnable backToTasks) {
        setId("calibrationFeedbackView");
        Label title = new Label("Calibration feedback");
        title.setFont(Font.font("System", FontWeight.BOLD, 20));
        Label headline = new Label();
        headline.setId("feedbackHeadline");
        headline.setWrapText(true);
        headline.textProperty().bind(vm.headlineProperty());

        TableView<CalibrationFeedbackItem> table = new TableView<>(vm.items());
        table.setId("feedbackItems");
        table.getColumns().add(column("Item", 110, i -> i.itemId()));
        table.getColumns().add(column("Your mark", 90, i -> i.yourMark().toString()));
        table.getColumns().add(column("Definitive", 90, i -> i.definitiveMark().toString()));
        table.getColumns().add(column("", 40, i -> i.agrees() ? "\u2714" : "\u2718"));
        TableColumn<CalibrationFeedbackItem, String> why = column("Rationale", 480, CalibrationFeedbackItem::rationale);
        table.getColumns().add(why);
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        VBox.setVgrow(table, Priority.ALWAYS);

        Button back = new Button("Back to tasks");
        back.setId("feedbackBack");
        back.setDefaultButton(true);
        back.setOnAction(e -> backToTasks.run());
        getChildren().addAll(title, headline, table, new HBox(8, back));
        setSpacing(12);
        setPadding(new Insets(20));
    }

    private static TableColumn<CalibrationFeedbackItem, String> column(String name, double width,
            java.util.function.Function<CalibrationFeedbackItem, String> value) {
        TableColumn<CalibrationFeedbackItem, String> c = new TableColumn<>(name);
        c.setPrefWidth(width);
        c.setCellValueFactory(d -> new ReadOnlyStringWrapper(value.apply(d.getValue())));
        return c;
    }
}
