package io.jnet.internal;

import io.jnet.spi.Transport;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The event-loop group of each transport, made on first use and shared for the life of the JVM: a
 * group per transport because each selector provider's channels register only with its own selectors.
 */
public final class Loops {
    private static final Map<Transport, EventLoopGroup> GROUPS = new ConcurrentHashMap<>();

    private Loops() {
    }

    /** The group serving {@code transport}'s channels. */
    public static EventLoopGroup of(Transport transport) {
        return GROUPS.computeIfAbsent(transport,
                t -> new EventLoopGroup("jnet-" + t.name(), t.selectorProvider(), 0));
    }
}
