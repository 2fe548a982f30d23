package io.jnet.codec;

import java.util.Arrays;
import java.util.function.Consumer;

/**
 * The listeners of one event of a channel ({@link MessageChannel#MESSAGE}, {@link RequestChannel#MESSAGE},
 * ...): a copy-on-write array, so delivering a frame (loop thread, every message) is a volatile read and
 * a loop, with no lock and no allocation. Adding and removing (any thread, rare) copy the array under
 * the lock.
 */
final class MessageListeners<T> {
    /** A listener removed before its first call. */
    private record Once<T>(Consumer<? super T> listener) {
    }

    /**
     * A listener registered under another key than the one it is stored for (a text listener fed with
     * the frames): {@link #remove} finds it by the user's object, {@link #emit} calls the adapter.
     */
    interface Adapter<T> extends Consumer<T> {
        Object listener();
    }

    private static final Object[] NONE = {};

    private volatile Object[] entries = NONE;

    /** Adds a listener; returns true if it is the first one ever added. */
    synchronized boolean add(Consumer<? super T> listener, boolean once) {
        if (listener == null) {
            throw new NullPointerException("listener");
        }
        Object[] e = entries;
        Object[] grown = Arrays.copyOf(e, e.length + 1);
        grown[e.length] = once ? new Once<T>(listener) : listener;
        entries = grown;
        return e == NONE;
    }

    /** Removes the first registration of {@code listener} (by identity). */
    synchronized void remove(Object listener) {
        Object[] e = entries;
        for (int i = 0; i < e.length; i++) {
            Object l = e[i] instanceof Once<?> once ? once.listener : e[i];
            if (l instanceof Adapter<?> adapter) {
                l = adapter.listener();
            }
            if (l == listener) {
                removeAt(e, i);
                return;
            }
        }
    }

    private synchronized void removeEntry(Object entry) {
        Object[] e = entries;
        for (int i = 0; i < e.length; i++) {
            if (e[i] == entry) {
                removeAt(e, i);
                return;
            }
        }
    }

    private void removeAt(Object[] e, int i) {
        Object[] shrunk = new Object[e.length - 1];
        System.arraycopy(e, 0, shrunk, 0, i);
        System.arraycopy(e, i + 1, shrunk, i, e.length - i - 1);
        // Never back to NONE: add() reports "first" only once, so the socket listeners are added once.
        entries = shrunk;
    }

    /** Hands {@code value} to every listener, in registration order; a listener's exception propagates. */
    @SuppressWarnings("unchecked")
    void emit(T value) {
        for (Object entry : entries) {
            if (entry instanceof Once<?> once) {
                removeEntry(entry);
                ((Consumer<? super T>) once.listener).accept(value);
            } else {
                ((Consumer<? super T>) entry).accept(value);
            }
        }
    }

    /** Whether no listener is registered (a volatile read). */
    boolean isEmpty() {
        return entries.length == 0;
    }
}
