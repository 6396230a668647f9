package io.dmm.core.policy;

import java.util.Arrays;

/** A growable list of rule indices used while building the index; appended in ascending order. */
final class IntList {
    private int[] values = new int[4];
    private int size;

    /** Appends {@code v} unless it is already the last value (a rule listing one prefix twice). */
    void addAscending(int v) {
        if (size > 0 && values[size - 1] == v) {
            return;
        }
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
        }
        values[size++] = v;
    }

    int[] toArray() {
        return Arrays.copyOf(values, size);
    }
}
