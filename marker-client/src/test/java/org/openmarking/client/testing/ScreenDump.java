package org.openmarking.client.testing;

import java.util.ArrayList;
import java.util.List;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.control.Labeled;
import javafx.scene.text.Text;
import javafx.stage.Window;

/** What a failing UI test saw: the ids and texts of the visible nodes, for its failure message. */
public final class ScreenDump {
    private ScreenDump() {
    }

    public static String visibleText() {
        List<String> out = new ArrayList<>();
        for (Window w : Window.getWindows()) {
            if (w.getScene() != null) {
                collect(w.getScene().getRoot(), out);
            }
        }
        return String.join(" | ", out);
    }

    private static void collect(Node n, List<String> out) {
        if (!n.isVisible()) {
            return;
        }
        String text = n instanceof Labeled l ? l.getText() : n instanceof Text t ? t.getText() : null;
        if (n.getId() != null || (text != null && !text.isBlank())) {
            out.add((n.getId() == null ? "" : "#" + n.getId() + " ") + (text == null ? "" : "'" + text + "'"));
        }
        if (n instanceof Parent p) {
            p.getChildrenUnmodifiable().forEach(c -> collect(c, out));
        }
    }
}
