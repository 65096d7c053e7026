package io.taskdeck.app.queues;

import java.util.List;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.paint.Color;

/** A small line chart of recent values, drawn on a canvas (one node per cell, not one per point). */
final class Sparkline extends Canvas {

    private List<Double> values = List.of();
    private Color stroke = Color.web("#0969da");

    Sparkline(double width, double height) {
        super(width, height);
        getStyleClass().add("sparkline");
    }

    void setStroke(Color stroke) {
        this.stroke = stroke;
        draw();
    }

    void setValues(List<Double> values) {
        this.values = List.copyOf(values);
        draw();
    }

    private void draw() {
        GraphicsContext g = getGraphicsContext2D();
        double w = getWidth();
        double h = getHeight();
        g.clearRect(0, 0, w, h);
        if (values.size() < 2) {
            return;
        }
        double max = values.stream().mapToDouble(Double::doubleValue).max().orElse(0);
        double scale = max <= 0 ? 0 : (h - 2) / max;
        double step = w / (values.size() - 1);
        g.setStroke(stroke);
        g.setLineWidth(1.25);
        g.beginPath();
        for (int i = 0; i < values.size(); i++) {
            double x = i * step;
            double y = h - 1 - values.get(i) * scale;
            if (i == 0) {
                g.moveTo(x, y);
            } else {
                g.lineTo(x, y);
            }
        }
        g.stroke();
    }
}
