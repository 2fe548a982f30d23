package io.jnet.internal;

import java.util.Arrays;
import java.util.function.Consumer;

/**
 * The listener lists of one socket or server, one slot per event key index.
 *
 * <p>Listeners may be added and removed from any thread; each change copies the slot's small array
 * (copy-on-write), so emitting, which happens on the loop thread for every chunk read, is a volatile
 * read and a loop with no lock and no allocation.
 */
final class Emitter {
    private static final Entry[] NONE = new Entry[0];

    /** A registration: the listener object and whether it is removed before its first call. */
    private record Entry(Object listener, boolean once) {
    }

    private volatile Entry[][] slots;

    Emitter(int slotCount) {
        Entry[][] s = new Entry[slotCount][];
        Arrays.fill(s, NONE);
        this.slots = s;
    }

    synchronized void add(int slot, Object listener, boolean once) {
        if (listener == null) {
            throw new NullPointerException("listener");
        }
        Entry[][] s = slots.clone();
        Entry[] old = s[slot];
        Entry[] grown = Arrays.copyOf(old, old.length + 1);
        grown[old.length] = new Entry(listener, once);
        s[slot] = grown;
        slots = s;
    }

    synchronized boolean remove(int slot, Object listener) {
        Entry[] old = slots[slot];
        for (int i = 0; i < old.length; i++) {
            if (old[i].listener == listener) {
                removeAt(slot, old, i);
                return true;
            }
        }
        return false;
    }

    private void removeEntry(int slot, Entry entry) {
        synchronized (this) {
            Entry[] old = slots[slot];
            for (int i = 0; i < old.length; i++) {
                if (old[i] == entry) {
                    removeAt(slot, old, i);
                    return;
                }
            }
        }
    }

    private void removeAt(int slot, Entry[] old, int i) {
        Entry[] shrunk = new Entry[old.length - 1];
        System.arraycopy(old, 0, shrunk, 0, i);
        System.arraycopy(old, i + 1, shrunk, i, old.length - i - 1);
        Entry[][] s = slots.clone();
        s[slot] = shrunk.length == 0 ? NONE : shrunk;
        slots = s;
    }

    boolean has(int slot) {
        return slots[slot].length != 0;
    }

    synchronized void clear() {
        Entry[][] s = new Entry[slots.length][];
        Arrays.fill(s, NONE);
        slots = s;
    }

    /** Calls every {@link Runnable} in the slot, in registration order. Exceptions propagate to the caller. */
    void emit(int slot) {
        for (Entry e : slots[slot]) {
            if (e.once) {
                removeEntry(slot, e);
            }
            ((Runnable) e.listener).run();
        }
    }

    /** Calls every {@link Consumer} in the slot with {@code value}, in registration order. Exceptions propagate. */
    @SuppressWarnings("unchecked")
    <T> void emit(int slot, T value) {
        for (Entry e : slots[slot]) {
            if (e.once) {
                removeEntry(slot, e);
            }
            ((Consumer<Object>) e.listener).accept(value);
        }
    }
}
