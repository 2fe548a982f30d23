package io.jnet.tcp;

import jdk.net.ExtendedSocketOptions;

import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.time.Duration;

/** Sets the idle time before the first keep-alive probe where the platform supports it (Linux, macOS). */
final class KeepAliveIdle {
    private KeepAliveIdle() {
    }

    static void set(SocketChannel channel, Duration initialDelay) throws IOException {
        if (channel.supportedOptions().contains(ExtendedSocketOptions.TCP_KEEPIDLE)) {
            // The kernel counts whole seconds; round up so that a short delay is not turned off.
            long seconds = Math.max(1, (initialDelay.toMillis() + 999) / 1000);
            channel.setOption(ExtendedSocketOptions.TCP_KEEPIDLE, (int) Math.min(Integer.MAX_VALUE, seconds));
        }
    }
}
