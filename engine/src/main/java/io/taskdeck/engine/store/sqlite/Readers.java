package io.taskdeck.engine.store.sqlite;

import io.taskdeck.engine.store.StoreException;

import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** A small pool of read connections; in WAL mode they read while the writer commits. */
public final class Readers implements AutoCloseable {

    @FunctionalInterface
    public interface ReadOp<T> {
        T run(Conn conn) throws SQLException;
    }

    private final Path file;
    private final BlockingQueue<Conn> idle;
    private final List<Conn> all = new ArrayList<>();
    private volatile boolean closed;

    public Readers(Path file, int count, Supplier<Conn> opener) {
        this.file = file;
        this.idle = new ArrayBlockingQueue<>(count);
        for (int i = 0; i < count; i++) {
            Conn c = opener.get();
            all.add(c);
            idle.add(c);
        }
    }

    public <T> T read(String action, ReadOp<T> op) {
        if (closed) {
            throw new StoreException("the store " + file + " is closed; cannot " + action);
        }
        Conn c;
        try {
            c = idle.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while waiting to " + action + " in the store " + file, e);
        }
        try {
            return op.run(c);
        } catch (SQLException e) {
            throw new StoreException(Failures.describe(file, action, e), e);
        } finally {
            idle.add(c);
        }
    }

    @Override
    public void close() {
        closed = true;
        // Wait briefly for reads in flight, then close every connection regardless.
        for (int i = 0; i < all.size(); i++) {
            try {
                if (idle.poll(5, TimeUnit.SECONDS) == null) {
                    break;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        for (Conn c : all) {
            c.close();
        }
    }
}
