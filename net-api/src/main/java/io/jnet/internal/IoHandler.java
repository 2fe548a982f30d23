package io.jnet.internal;

import java.nio.channels.SelectionKey;

/**
 * What an {@link EventLoop} calls when a registered channel is ready. Implemented by the shared socket
 * and server code; called on the loop thread only.
 */
public interface IoHandler {

    /** The key's channel is ready for some of {@code key.readyOps()}. Should not throw. */
    void onReady(SelectionKey key);

    /**
     * {@link #onReady} threw (a bug, or the JVM failing under pressure such as running out of file
     * descriptors). The handler decides what that means for its channel: a socket closes with the
     * error, a server rests and keeps listening. Must not throw.
     */
    void onFailure(Throwable failure);
}
