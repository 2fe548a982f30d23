package io.jnet.it.peer;

import io.jnet.Socket;

/**
 * The echo handler every jnet server in these suites uses: sends each chunk back and stops reading
 * while the peer is not taking the echo ({@code write} false → pause, {@code DRAIN} → resume), so a
 * client that writes much and reads slowly meets back-pressure instead of growing our memory.
 */
public final class Echo {
    private Echo() {
    }

    /** Makes {@code socket} echo; called in the server's connection listener. */
    public static void attach(Socket socket) {
        socket.on(Socket.DRAIN, socket::resume);
        socket.on(Socket.DATA, chunk -> {
            if (!socket.write(chunk)) {
                socket.pause();
            }
        });
        socket.on(Socket.END, socket::end);
        socket.on(Socket.ERROR, e -> System.err.println("echo: " + e.getMessage()));
    }
}
