package io.jnet.internal;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EmitterTest {

    @Test
    void callsListenersInRegistrationOrderAndOnceListenersOnlyOnce() {
        Emitter emitter = new Emitter("Test", new Object[2]);
        List<String> calls = new ArrayList<>();
        emitter.add(0, (Runnable) () -> calls.add("a"), false);
        emitter.add(0, (Runnable) () -> calls.add("once"), true);
        emitter.add(0, (Runnable) () -> calls.add("c"), false);
        emitter.emit(0);
        emitter.emit(0);
        assertEquals(List.of("a", "once", "c", "a", "c"), calls);
    }

    @Test
    void offRemovesTheFirstRegistrationOfThatExactListener() {
        Emitter emitter = new Emitter("Test", new Object[1]);
        List<Integer> seen = new ArrayList<>();
        Consumer<Integer> twice = seen::add;
        emitter.add(0, twice, false);
        emitter.add(0, twice, false);
        assertTrue(emitter.remove(0, twice));
        emitter.emit(0, 7);
        assertEquals(List.of(7), seen);
        assertTrue(emitter.remove(0, twice));
        assertFalse(emitter.remove(0, twice));
        assertFalse(emitter.has(0));
        emitter.emit(0, 8);
        assertEquals(List.of(7), seen);
    }

    @Test
    void slotsBeyondTheHighestUsedOneAreEmptyAndUsableLater() {
        Emitter emitter = new Emitter("Test", new Object[5]);
        List<String> calls = new ArrayList<>();
        emitter.emit(4);
        emitter.emit(3, "nobody");
        assertFalse(emitter.has(4));
        assertFalse(emitter.remove(4, (Runnable) () -> { }));
        emitter.add(2, (Runnable) () -> calls.add("two"), false);
        emitter.emit(4); // beyond the slots in use so far
        emitter.add(4, (Runnable) () -> calls.add("four"), true);
        emitter.add(0, (Runnable) () -> calls.add("zero"), false);
        emitter.emit(4);
        emitter.emit(4);
        emitter.emit(2);
        emitter.emit(0);
        assertEquals(List.of("four", "two", "zero"), calls);
        emitter.clear();
        assertFalse(emitter.has(0));
        emitter.emit(2);
        assertEquals(3, calls.size());
    }

    @Test
    void aSingleOnceListenerLeavesTheSlotEmpty() {
        Emitter emitter = new Emitter("Test", new Object[1]);
        int[] n = {0};
        emitter.add(0, (Runnable) () -> n[0]++, true);
        emitter.emit(0);
        emitter.emit(0);
        assertEquals(1, n[0]);
        assertFalse(emitter.has(0));
    }

    @Test
    void aListenerAddedWhileEmittingRunsFromTheNextEmission() {
        Emitter emitter = new Emitter("Test", new Object[1]);
        List<String> calls = new ArrayList<>();
        emitter.add(0, (Runnable) () -> {
            calls.add("first");
            emitter.add(0, (Runnable) () -> calls.add("late"), false);
        }, true);
        emitter.emit(0);
        emitter.emit(0);
        assertEquals(List.of("first", "late"), calls);
    }
}
