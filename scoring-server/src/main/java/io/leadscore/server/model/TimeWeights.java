package io.leadscore.server.model;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * Times in order with a weight each and prefix sums of the weights, in chunks: entries are appended at the end and
 * dropped from the front, a range's weight is a difference of two prefix sums, and a copy shares every full chunk
 * (a full chunk is never written again), so copying costs the number of chunks, not of entries.
 *
 * <p>Entries are addressed by a running index: {@code [head, tail)} are kept; {@code first} is the index of the
 * first chunk's first slot (entries between {@code first} and {@code head} were dropped but still sit in it).
 */
final class TimeWeights {

    private static final int SHIFT = 7;
    private static final int CHUNK = 1 << SHIFT;

    /**
     * A run of up to {@value #CHUNK} entries; prefix[i] is the sum of every weight appended up to this one. Its arrays
     * grow as it fills, so a rule with a handful of engagements holds a handful of slots.
     */
    private static final class Chunk {
        Instant[] times;
        double[] weights;
        double[] prefix;

        Chunk(int capacity) {
            times = new Instant[capacity];
            weights = new double[capacity];
            prefix = new double[capacity];
        }

        void ensure(int slot) {
            if (slot >= times.length) {
                int capacity = Math.min(CHUNK, times.length * 2);
                times = java.util.Arrays.copyOf(times, capacity);
                weights = java.util.Arrays.copyOf(weights, capacity);
                prefix = java.util.Arrays.copyOf(prefix, capacity);
            }
        }

        Chunk copy() {
            Chunk copy = new Chunk(times.length);
            System.arraycopy(times, 0, copy.times, 0, times.length);
            System.arraycopy(weights, 0, copy.weights, 0, times.length);
            System.arraycopy(prefix, 0, copy.prefix, 0, times.length);
            return copy;
        }
    }

    private List<Chunk> chunks = new ArrayList<>();
    private long first;
    private long head;
    private long tail;
    /** The prefix sum just before {@code first}: what the dropped chunks added. */
    private double base;

    TimeWeights() {
    }

    TimeWeights copy() {
        TimeWeights copy = new TimeWeights();
        copy.chunks = new ArrayList<>(chunks);
        int last = copy.chunks.size() - 1;
        if (last >= 0 && (tail - first) % CHUNK != 0) {
            copy.chunks.set(last, copy.chunks.get(last).copy()); // still being written: each its own
        }
        copy.first = first;
        copy.head = head;
        copy.tail = tail;
        copy.base = base;
        return copy;
    }

    long head() {
        return head;
    }

    long tail() {
        return tail;
    }

    boolean isEmpty() {
        return head == tail;
    }

    Instant time(long index) {
        return chunk(index).times[slot(index)];
    }

    double weight(long index) {
        return chunk(index).weights[slot(index)];
    }

    private double prefix(long index) {
        return index < first ? base : chunk(index).prefix[slot(index)];
    }

    private Chunk chunk(long index) {
        return chunks.get((int) ((index - first) >>> SHIFT));
    }

    private int slot(long index) {
        return (int) ((index - first) & (CHUNK - 1));
    }

    void append(Instant at, double weight) {
        if (slot(tail) == 0 && (tail - first) >>> SHIFT == chunks.size()) {
            chunks.add(new Chunk(chunks.isEmpty() ? 2 : CHUNK));
        }
        Chunk chunk = chunk(tail);
        int slot = slot(tail);
        chunk.ensure(slot);
        chunk.times[slot] = at;
        chunk.weights[slot] = weight;
        chunk.prefix[slot] = prefix(tail - 1) + weight;
        tail++;
    }

    /** Drops the entries before {@code cutoff} from the front; answers whether any were dropped. */
    boolean dropBefore(Instant cutoff) {
        long was = head;
        while (head < tail && time(head).isBefore(cutoff)) {
            head++;
        }
        if (head == tail) {
            clear();
        } else {
            while (head - first >= CHUNK) {
                base = chunks.get(0).prefix[CHUNK - 1];
                chunks.remove(0);
                first += CHUNK;
            }
        }
        return head != was;
    }

    private void clear() {
        chunks = new ArrayList<>();
        first = 0;
        head = 0;
        tail = 0;
        base = 0;
    }

    /** Gives every kept entry a new weight (and new prefix sums), in new chunks. */
    void reweigh(ToDoubleFunction<Instant> weightOf) {
        List<Instant> kept = new ArrayList<>();
        for (long i = head; i < tail; i++) {
            kept.add(time(i));
        }
        clear();
        kept.forEach(at -> append(at, weightOf.applyAsDouble(at)));
    }

    /** The weights of the entries {@code from} (inclusive) to {@code to} (exclusive), both kept. */
    double weights(long from, long to) {
        return from >= to ? 0 : prefix(to - 1) - prefix(from - 1);
    }

    /** The first index in [from, tail) whose time is not before {@code at}; tail when none. */
    long firstAtOrAfter(Instant at, long from) {
        long low = from;
        long high = tail;
        while (low < high) {
            long middle = (low + high) >>> 1;
            if (time(middle).isBefore(at)) {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        return low;
    }
}
