package io.taskdeck.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/** A temporary folder for a durable store's files, removed with everything in it on close. */
final class ScratchDir implements AutoCloseable {

    private final Path dir;
    private final AtomicInteger files = new AtomicInteger();

    ScratchDir(String prefix) throws IOException {
        dir = Files.createTempDirectory(prefix);
    }

    /** A path not used before, e.g. {@code 3-bench.db}: each measurement starts on an empty store. */
    Path next(String name) {
        return dir.resolve(files.incrementAndGet() + "-" + name);
    }

    @Override
    public void close() {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + dir, e);
        }
    }
}
