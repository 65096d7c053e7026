package io.taskdeck.app.queues;

import io.taskdeck.client.QueueInfo;
import java.time.Instant;
import java.util.Objects;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;

/**
 * One row of the queues table: the queue's latest figures and its recent history. The row stays
 * the same object across polls (the selection and the editor stay on it); its figures change.
 */
public final class QueueRow {

    private final String name;
    private final ReadOnlyObjectWrapper<QueueInfo> info;
    private final QueueRates rates = new QueueRates();

    QueueRow(Instant at, QueueInfo first) {
        this.name = first.name();
        this.info = new ReadOnlyObjectWrapper<>(this, "info", first);
        rates.add(at, first);
    }

    public String name() {
        return name;
    }

    public QueueInfo info() {
        return info.get();
    }

    public ReadOnlyObjectProperty<QueueInfo> infoProperty() {
        return info.getReadOnlyProperty();
    }

    public QueueRates rates() {
        return rates;
    }

    /** A poll's figures. */
    void update(Instant at, QueueInfo now) {
        if (!now.name().equals(name)) {
            throw new IllegalArgumentException("figures of " + now.name() + " given to the row of " + name);
        }
        rates.add(at, now);
        info.set(now);
    }

    /** The answer of an action (pause, override...): the figures change, the history does not. */
    void replace(QueueInfo now) {
        info.set(Objects.requireNonNull(now, "now"));
    }

    @Override
    public String toString() {
        return "QueueRow[" + name + "]";
    }
}
