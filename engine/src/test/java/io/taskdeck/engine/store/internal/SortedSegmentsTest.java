package io.taskdeck.engine.store.internal;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.NavigableSet;
import java.util.Random;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/** The segmented sorted set behaves exactly like a TreeSet under any mix of operations. */
class SortedSegmentsTest {

    private static SortedSegments<Integer, Integer> set() {
        return new SortedSegments<Integer, Integer>(x -> x, Comparator.<Integer>naturalOrder());
    }

    @Test
    void appendsAndFrontRemovalsKeepOrder() {
        SortedSegments<Integer, Integer> s = set();
        for (int i = 0; i < 5 * SortedSegments.CAPACITY + 7; i++) {
            assertThat(s.add(i)).isTrue();
        }
        assertThat(s.add(3)).as("duplicate").isFalse();
        for (int i = 0; i < 3 * SortedSegments.CAPACITY; i++) {
            assertThat(s.pollFirst()).isEqualTo(i);
        }
        assertThat(s.first()).isEqualTo(3 * SortedSegments.CAPACITY);
        assertThat(s.size()).isEqualTo(2 * SortedSegments.CAPACITY + 7);
        assertThat(s.pollFirst()).isEqualTo(3 * SortedSegments.CAPACITY);
    }

    @Test
    void aSetThatEmptiesAndRefillsBehavesAsNew() {
        SortedSegments<Integer, Integer> s = set();
        for (int round = 0; round < 3; round++) {
            s.add(5);
            s.add(7);
            assertThat(s.remove(5)).isTrue();
            assertThat(s.pollFirst()).isEqualTo(7);
            assertThat(s.isEmpty()).isTrue();
            assertThat(s.pollFirst()).isNull();
            assertThat(s.get(7)).isNull();
            assertThat(s.remove(7)).isFalse();
            assertThat(s.iterator().hasNext()).isFalse();
            assertThat(s.descendingBefore(null).hasNext()).isFalse();
            assertThat(s.ascendingAfter(3).hasNext()).isFalse();
        }
        s.add(9);
        s.add(1);
        assertThat(take(s.iterator(), 10)).containsExactly(1, 9);
    }

    @Test
    void matchesATreeSetUnderRandomOperations() {
        Random random = new Random(42);
        SortedSegments<Integer, Integer> s = set();
        NavigableSet<Integer> oracle = new TreeSet<>();
        int next = 0;
        for (int step = 0; step < 60_000; step++) {
            int op = random.nextInt(100);
            if (op < 45) {
                // mostly ascending inserts, as ids and start orders arrive
                int v = random.nextInt(10) == 0 ? random.nextInt(Math.max(1, next)) : next++ * 2;
                assertThat(s.add(v)).isEqualTo(oracle.add(v));
            } else if (op < 65) {
                assertThat(s.pollFirst()).isEqualTo(oracle.pollFirst());
            } else if (op < 85) {
                int v = random.nextInt(Math.max(1, next * 2));
                assertThat(s.remove(v)).isEqualTo(oracle.remove(v));
            } else if (op < 95) {
                int v = random.nextInt(Math.max(1, next * 2));
                assertThat(s.get(v)).isEqualTo(oracle.contains(v) ? v : null);
            } else {
                Integer cursor = random.nextBoolean() || oracle.isEmpty() ? null : random.nextInt(next * 2 + 1);
                assertThat(take(s.ascendingAfter(cursor), 100))
                        .isEqualTo(take((cursor == null ? oracle : oracle.tailSet(cursor, false)).iterator(), 100));
                assertThat(take(s.descendingBefore(cursor), 100))
                        .isEqualTo(take((cursor == null ? oracle.descendingSet() : oracle.headSet(cursor, false).descendingSet()).iterator(), 100));
            }
            assertThat(s.size()).isEqualTo(oracle.size());
        }
        assertThat(take(s.iterator(), Integer.MAX_VALUE)).containsExactlyElementsOf(oracle);
    }

    @Test
    void iteratesFromCursorsAtSegmentEdges() {
        SortedSegments<Integer, Integer> s = set();
        NavigableSet<Integer> oracle = new TreeSet<>();
        for (int i = 0; i < 4 * SortedSegments.CAPACITY; i += 2) {
            s.add(i);
            oracle.add(i);
        }
        for (int cursor = -1; cursor <= 4 * SortedSegments.CAPACITY + 1; cursor++) {
            assertThat(take(s.ascendingAfter(cursor), Integer.MAX_VALUE))
                    .isEqualTo(take(oracle.tailSet(cursor, false).iterator(), Integer.MAX_VALUE));
            assertThat(take(s.descendingBefore(cursor), Integer.MAX_VALUE))
                    .isEqualTo(take(oracle.headSet(cursor, false).descendingIterator(), Integer.MAX_VALUE));
        }
    }

    private static List<Integer> take(Iterator<Integer> it, int max) {
        List<Integer> out = new ArrayList<>();
        while (it.hasNext() && out.size() < max) {
            out.add(it.next());
        }
        return out;
    }
}
