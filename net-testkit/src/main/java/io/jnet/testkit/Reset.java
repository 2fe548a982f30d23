package io.jnet.testkit;

import io.jnet.Socket;

import java.lang.reflect.Field;
import java.net.StandardSocketOptions;
import java.nio.channels.NetworkChannel;

/**
 * Aborts a TCP connection with an RST. jnet's {@link Socket} has no abortive close (Node's
 * {@code resetAndDestroy()}), so this sets {@code SO_LINGER} to zero on the socket's channel, reached
 * by reflection, before destroying it: the close then sends RST instead of FIN. That works where jnet's
 * implementation classes are open to reflection (the class path, which is how test suites usually
 * run); elsewhere the caller is told, so a test never believes it saw a reset it did not get.
 */
final class Reset {
    private Reset() {
    }

    /**
     * Destroys {@code socket}, with an RST when possible. Call on the socket's loop thread.
     *
     * @return null when an RST was arranged, else why not (the socket is destroyed either way)
     */
    static String abort(Socket socket) {
        String why;
        try {
            NetworkChannel channel = channelOf(socket);
            if (channel == null) {
                why = "no channel found in " + socket.getClass().getName();
            } else {
                channel.setOption(StandardSocketOptions.SO_LINGER, 0);
                why = null;
            }
        } catch (RuntimeException | java.io.IOException | IllegalAccessException e) {
            // InaccessibleObjectException on the module path, UnsupportedOperationException for AF_UNIX.
            why = e.toString();
        }
        socket.destroy();
        return why;
    }

    private static NetworkChannel channelOf(Socket socket) throws IllegalAccessException {
        for (Class<?> c = socket.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (NetworkChannel.class.isAssignableFrom(f.getType())) {
                    f.setAccessible(true);
                    Object value = f.get(socket);
                    if (value != null) {
                        return (NetworkChannel) value;
                    }
                }
            }
        }
        return null;
    }
}
