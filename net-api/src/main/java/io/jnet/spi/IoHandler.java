package io.jnet.spi;

import java.nio.channels.SelectionKey;

/**
 * What an {@link EventLoop} calls when a registered channel is ready. Implemented by the shared socket
 * and server code; called on the loop thread only.
 */
public interface IoHandler {

    /** The key's channel is ready for some of {@code key.readyOps()}. Must not throw. */
    void onReady(SelectionKey key);
}
