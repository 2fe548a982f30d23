package io.jnet.codec;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * The {@link MessageChannel#MESSAGE} listeners of one channel: a copy-on-write array, so delivering a
 * frame (loop thread, every message) is a volatile read and a loop, with no lock and no allocation.
 * Adding and removing (any thread, rare) copy the array under the lock.
 */
final class MessageListeners {
    /** A listener removed before its first call. */
    private record Once(Consumer<? super ByteBuffer> listener) {
    }

    private static final Object[] NONE = {};

    private volatile Object[] entries = NONE;

    /** Adds a listener; returns true if it is the first one ever added. */
    synchronized boolean add(Consumer<? super ByteBuffer> listener, boolean once) {
        if (listener == null) {
            throw new NullPointerException("listener");
        }
        Object[] e = entries;
        Object[] grown = Arrays.copyOf(e, e.length + 1);
        grown[e.length] = once ? new Once(listener) : listener;
        entries = grown;
        return e == NONE;
    }

    /** Removes the first registration of {@code listener} (by identity). */
    synchronized void remove(Object listener) {
        Object[] e = entries;
        for (int i = 0; i < e.length; i++) {
            Object l = e[i] instanceof Once once ? once.listener : e[i];
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

    /** Hands {@code frame} to every listener, in registration order; a listener's exception propagates. */
    @SuppressWarnings("unchecked")
    void emit(ByteBuffer frame) {
        for (Object entry : entries) {
            if (entry instanceof Once once) {
                removeEntry(entry);
                once.listener.accept(frame);
            } else {
                ((Consumer<? super ByteBuffer>) entry).accept(frame);
            }
        }
    }
}
