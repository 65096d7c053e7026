package io.taskdeck.engine.store.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.function.Function;

/**
 * A sorted set of distinct elements kept in short sorted arrays (a two-level B-tree). The memory
 * store's orderings (runs by id, a queue's ready runs by start order) almost always grow at the
 * end and shrink at the front; here both are O(1) with no per-element node, where a TreeMap pays
 * a walk down a deep tree and 40 bytes per element. Other inserts and removals cost a binary
 * search and a short array shift.
 *
 * <p>Only the sole segment of an empty set may be empty (kept so a set that keeps emptying does
 * not allocate); every read checks {@code size} first.
 *
 * <p>Elements are compared through their key ({@code keyOf}), which must not change while the
 * element is in the set. Not thread-safe; iterators must not outlive a change.
 *
 * @param <T> the element
 * @param <K> its sort key
 */
public final class SortedSegments<T, K> implements Iterable<T> {

    static final int CAPACITY = 256;

    private final Function<? super T, ? extends K> keyOf;
    private final Comparator<? super K> order;
    private final ArrayList<Segment> segments = new ArrayList<>();
    private int size;

    /** Elements [start, end) of a fixed array; room at both ends so front and back changes are O(1). */
    private static final class Segment {
        final Object[] items = new Object[CAPACITY];
        int start;
        int end;

        int count() {
            return end - start;
        }
    }

    public SortedSegments(Function<? super T, ? extends K> keyOf, Comparator<? super K> order) {
        this.keyOf = keyOf;
        this.order = order;
    }

    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    @SuppressWarnings("unchecked")
    private K keyAt(Segment s, int i) {
        return keyOf.apply((T) s.items[i]);
    }

    /** Index of the first segment whose last key is >= key; segments.size() when none. */
    private int segmentFor(K key) {
        int lo = 0;
        int hi = segments.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            Segment s = segments.get(mid);
            if (order.compare(keyAt(s, s.end - 1), key) < 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** Position in s of the first key >= key (s.end when none). */
    private int positionIn(Segment s, K key) {
        int lo = s.start;
        int hi = s.end;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (order.compare(keyAt(s, mid), key) < 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** Adds the element; false (and nothing changes) when one with an equal key is present. */
    public boolean add(T element) {
        K key = keyOf.apply(element);
        if (size == 0) {
            Segment s = segments.isEmpty() ? new Segment() : segments.getFirst();
            if (segments.isEmpty()) {
                segments.add(s);
            }
            s.start = 0;
            s.items[0] = element;
            s.end = 1;
            size++;
            return true;
        }
        Segment last = segments.getLast();
        int c = order.compare(keyAt(last, last.end - 1), key);
        if (c < 0) {  // the common case: a new greatest element
            if (last.end < CAPACITY) {
                last.items[last.end++] = element;
            } else {
                Segment s = new Segment();
                s.items[0] = element;
                s.end = 1;
                segments.add(s);
            }
            size++;
            return true;
        }
        if (c == 0) {
            return false;
        }
        int si = segmentFor(key);
        Segment s = segments.get(si);
        int p = positionIn(s, key);
        if (p < s.end && order.compare(keyAt(s, p), key) == 0) {
            return false;
        }
        insertAt(si, s, p, element);
        size++;
        return true;
    }

    private void insertAt(int si, Segment s, int p, T element) {
        if (s.end < CAPACITY) {
            System.arraycopy(s.items, p, s.items, p + 1, s.end - p);
            s.items[p] = element;
            s.end++;
        } else if (s.start > 0) {
            System.arraycopy(s.items, s.start, s.items, s.start - 1, p - s.start);
            s.start--;
            s.items[p - 1] = element;
        } else {
            // Full: move the upper half to a new segment, then insert into the half it belongs to.
            int half = CAPACITY / 2;
            Segment upper = new Segment();
            System.arraycopy(s.items, half, upper.items, 0, CAPACITY - half);
            Arrays.fill(s.items, half, CAPACITY, null);
            upper.end = CAPACITY - half;
            s.end = half;
            segments.add(si + 1, upper);
            if (p <= half) {
                insertAt(si, s, p, element);
            } else {
                insertAt(si + 1, upper, p - half, element);
            }
        }
    }

    /** Removes the element with this element's key; false when there is none. */
    public boolean remove(T element) {
        return removeKey(keyOf.apply(element)) != null;
    }

    /** Removes and returns the element with this key, or null. */
    @SuppressWarnings("unchecked")
    public T removeKey(K key) {
        if (size == 0) {
            return null;
        }
        Segment first = segments.getFirst();
        if (order.compare(keyAt(first, first.start), key) == 0) {
            // The common case: a queue's head is claimed, the oldest run is pruned.
            T removed = (T) first.items[first.start];
            removeAt(0, first, first.start);
            return removed;
        }
        int si = segmentFor(key);
        if (si == segments.size()) {
            return null;
        }
        Segment s = segments.get(si);
        int p = positionIn(s, key);
        if (p == s.end || order.compare(keyAt(s, p), key) != 0) {
            return null;
        }
        T removed = (T) s.items[p];
        removeAt(si, s, p);
        return removed;
    }

    private void removeAt(int si, Segment s, int p) {
        if (p - s.start < s.end - 1 - p) {
            System.arraycopy(s.items, s.start, s.items, s.start + 1, p - s.start);
            s.items[s.start++] = null;
        } else {
            System.arraycopy(s.items, p + 1, s.items, p, s.end - 1 - p);
            s.items[--s.end] = null;
        }
        if (s.count() == 0) {
            if (segments.size() == 1) {
                s.start = 0;  // keep the only segment: a queue that keeps emptying reuses its array
                s.end = 0;
            } else {
                segments.remove(si);
            }
        }
        size--;
    }

    /** The element with this key, or null. */
    @SuppressWarnings("unchecked")
    public T get(K key) {
        if (size == 0) {
            return null;
        }
        int si = segmentFor(key);
        if (si == segments.size()) {
            return null;
        }
        Segment s = segments.get(si);
        int p = positionIn(s, key);
        return p < s.end && order.compare(keyAt(s, p), key) == 0 ? (T) s.items[p] : null;
    }

    @SuppressWarnings("unchecked")
    public T first() {
        if (size == 0) {
            throw new NoSuchElementException();
        }
        Segment s = segments.getFirst();
        return (T) s.items[s.start];
    }

    @SuppressWarnings("unchecked")
    public T pollFirst() {
        if (size == 0) {
            return null;
        }
        Segment s = segments.getFirst();
        T out = (T) s.items[s.start];
        removeAt(0, s, s.start);
        return out;
    }

    @Override
    public Iterator<T> iterator() {
        return ascendingAfter(null);
    }

    /** Ascending from the first key greater than {@code after} (null: from the start). */
    public Iterator<T> ascendingAfter(K after) {
        if (size == 0) {
            return Collections.emptyIterator();
        }
        int si = 0;
        int p = segments.isEmpty() ? 0 : segments.getFirst().start;
        if (after != null && !segments.isEmpty()) {
            si = segmentFor(after);
            if (si < segments.size()) {
                Segment s = segments.get(si);
                p = positionIn(s, after);
                if (p < s.end && order.compare(keyAt(s, p), after) == 0) {
                    p++;
                }
                if (p == s.end) {
                    si++;
                    p = si < segments.size() ? segments.get(si).start : 0;
                }
            }
        }
        int startSegment = si;
        int startPos = p;
        return new Iterator<>() {
            int seg = startSegment;
            int pos = startPos;

            @Override
            public boolean hasNext() {
                return seg < segments.size();
            }

            @Override
            @SuppressWarnings("unchecked")
            public T next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                Segment s = segments.get(seg);
                T out = (T) s.items[pos++];
                if (pos == s.end) {
                    seg++;
                    pos = seg < segments.size() ? segments.get(seg).start : 0;
                }
                return out;
            }
        };
    }

    /** Descending from the last key smaller than {@code before} (null: from the end). */
    public Iterator<T> descendingBefore(K before) {
        if (size == 0) {
            return Collections.emptyIterator();
        }
        int si = segments.size() - 1;
        int p = segments.isEmpty() ? -1 : segments.getLast().end - 1;
        if (before != null && !segments.isEmpty()) {
            si = segmentFor(before);
            if (si == segments.size()) {
                si--;
                p = segments.get(si).end - 1;
            } else {
                Segment s = segments.get(si);
                p = positionIn(s, before) - 1;  // last key < before
                if (p < s.start) {
                    si--;
                    p = si >= 0 ? segments.get(si).end - 1 : -1;
                }
            }
        }
        int startSegment = si;
        int startPos = p;
        return new Iterator<>() {
            int seg = startSegment;
            int pos = startPos;

            @Override
            public boolean hasNext() {
                return seg >= 0;
            }

            @Override
            @SuppressWarnings("unchecked")
            public T next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                Segment s = segments.get(seg);
                T out = (T) s.items[pos--];
                if (pos < s.start) {
                    seg--;
                    pos = seg >= 0 ? segments.get(seg).end - 1 : -1;
                }
                return out;
            }
        };
    }
}
