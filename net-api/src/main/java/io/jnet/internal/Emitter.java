package io.jnet.internal;

import java.util.Arrays;
import java.util.function.Consumer;

/**
 * The listener lists of one socket or server, one slot per event key index.
 *
 * <p>Listeners may be added and removed from any thread; each change copies the small slot array
 * (copy-on-write), so emitting, which happens on the loop thread for every chunk read, is a volatile
 * read and a loop with no lock and no allocation.
 *
 * <p>A slot holds {@code null} (no listener), the listener itself (the common case: one plain
 * listener), a {@link Once} wrapper, or an {@code Object[]} of those when there are several. Ten
 * thousand idle sockets with three listeners each should not carry sixty thousand wrapper objects.
 * The slot array is only as long as the highest slot with a listener ever was: a socket listening to
 * DATA and ERROR (slots 4 and 5 of 13) carries 6 slots, not 13 (32 bytes less per idle connection).
 */
final class Emitter {

    /** A listener removed before its first call. */
    private record Once(Object listener) {
    }

    private static final Object[] NO_SLOTS = {};

    private volatile Object[] slots;
    /** The keys the owner type declares, by slot; shared by every emitter of that type. */
    private final Object[] keys;
    private final String owner;

    /** An emitter for the keys {@code owner} declares, each at its {@code index()}. */
    Emitter(String owner, Object[] keys) {
        this.owner = owner;
        this.keys = keys;
        this.slots = NO_SLOTS;
    }

    /**
     * Refuses a key this emitter's type does not declare. The compiler already refuses another owner's
     * key; this catches a key someone declared for our type with {@code Event.of}, which no one fires.
     */
    int slotOf(Object key, int index) {
        if (index < 0 || index >= keys.length || keys[index] != key) {
            throw new IllegalArgumentException("'" + key + "' is not an event of " + owner);
        }
        return index;
    }

    synchronized void add(int slot, Object listener, boolean once) {
        if (listener == null) {
            throw new NullPointerException("listener");
        }
        Object entry = once ? new Once(listener) : listener;
        Object[] s = Arrays.copyOf(slots, Math.max(slots.length, slot + 1));
        Object old = s[slot];
        if (old == null) {
            s[slot] = entry;
        } else if (old instanceof Object[] many) {
            Object[] grown = Arrays.copyOf(many, many.length + 1);
            grown[many.length] = entry;
            s[slot] = grown;
        } else {
            s[slot] = new Object[] {old, entry};
        }
        slots = s;
    }

    /** Removes the first registration of {@code listener} (by identity); false if there was none. */
    synchronized boolean remove(int slot, Object listener) {
        Object old = entryAt(slot);
        if (old instanceof Object[] many) {
            for (int i = 0; i < many.length; i++) {
                if (listenerOf(many[i]) == listener) {
                    replace(slot, without(many, i));
                    return true;
                }
            }
            return false;
        }
        if (old != null && listenerOf(old) == listener) {
            replace(slot, null);
            return true;
        }
        return false;
    }

    /** Removes exactly this entry (a {@link Once} that is about to run). */
    private synchronized void removeEntry(int slot, Object entry) {
        Object old = entryAt(slot);
        if (old == entry) {
            replace(slot, null);
        } else if (old instanceof Object[] many) {
            for (int i = 0; i < many.length; i++) {
                if (many[i] == entry) {
                    replace(slot, without(many, i));
                    return;
                }
            }
        }
    }

    private static Object without(Object[] many, int i) {
        if (many.length == 2) {
            return many[1 - i];
        }
        Object[] shrunk = new Object[many.length - 1];
        System.arraycopy(many, 0, shrunk, 0, i);
        System.arraycopy(many, i + 1, shrunk, i, many.length - i - 1);
        return shrunk;
    }

    /** Only for a slot that has an entry now, hence within the array. */
    private void replace(int slot, Object value) {
        Object[] s = slots.clone();
        s[slot] = value;
        slots = s;
    }

    private static Object listenerOf(Object entry) {
        return entry instanceof Once once ? once.listener : entry;
    }

    private Object entryAt(int slot) {
        Object[] s = slots;
        return slot < s.length ? s[slot] : null;
    }

    boolean has(int slot) {
        return entryAt(slot) != null;
    }

    synchronized void clear() {
        slots = NO_SLOTS;
    }

    /** Calls every {@link Runnable} in the slot, in registration order. Exceptions propagate to the caller. */
    void emit(int slot) {
        Object entry = entryAt(slot);
        if (entry == null) {
            return;
        }
        if (entry instanceof Object[] many) {
            for (Object e : many) {
                run(slot, e);
            }
        } else {
            run(slot, entry);
        }
    }

    private void run(int slot, Object entry) {
        if (entry instanceof Once once) {
            removeEntry(slot, entry);
            ((Runnable) once.listener).run();
        } else {
            ((Runnable) entry).run();
        }
    }

    /** Calls every {@link Consumer} in the slot with {@code value}, in registration order. Exceptions propagate. */
    <T> void emit(int slot, T value) {
        Object entry = entryAt(slot);
        if (entry == null) {
            return;
        }
        if (entry instanceof Object[] many) {
            for (Object e : many) {
                accept(slot, e, value);
            }
        } else {
            accept(slot, entry, value);
        }
    }

    @SuppressWarnings("unchecked")
    private void accept(int slot, Object entry, Object value) {
        if (entry instanceof Once once) {
            removeEntry(slot, entry);
            ((Consumer<Object>) once.listener).accept(value);
        } else {
            ((Consumer<Object>) entry).accept(value);
        }
    }
}
