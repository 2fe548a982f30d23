package io.jnet.spi;

import io.jnet.WriteCallback;

import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * A write whose first byte must carry something beside the bytes: the callback is asked to prepare the
 * channel right before every attempt to write that first byte (a Unix domain socket attaches
 * descriptors there with SCM_RIGHTS, which the kernel then delivers with the read that returns that
 * byte). Such a write is always written on its own, never gathered behind other queued bytes, so what
 * {@link #beforeFirstByte} attaches cannot travel with an earlier write's bytes.
 *
 * <p>Pass it as the callback of {@link io.jnet.Socket#write(ByteBuffer, WriteCallback)}; it completes
 * like any other write callback.
 */
public interface AncillaryWrite extends WriteCallback {

    /**
     * Called on the socket's loop thread before each attempt to write {@code data} while none of it has
     * been written yet (again after an attempt the kernel refused: the ancillary data of a refused
     * attempt is gone). Must not write.
     */
    void beforeFirstByte(SocketChannel channel, ByteBuffer data);

    /** Calls {@link #beforeFirstByte} when {@code callback} is an {@code AncillaryWrite} and nothing of {@code data} is written. */
    static void prepare(WriteCallback callback, SocketChannel channel, ByteBuffer data) {
        if (callback instanceof AncillaryWrite ancillary) {
            ancillary.beforeFirstByte(channel, data);
        }
    }
}
