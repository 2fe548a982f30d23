package io.jnet.it.peer;

import io.jnet.ConnectOptions;
import io.jnet.Endpoint;
import io.jnet.Net;
import io.jnet.Socket;
import io.jnet.it.TestBytes;

import java.io.OutputStream;

/**
 * A jnet client in a JVM of its own that streams until it is killed: {@code FirehosePeer ENDPOINT BYTES}
 * sends {@code BYTES} of {@link TestBytes#pattern} through the socket's blocking view (back-pressure
 * honoured), then ends. The pattern repeats every 251 bytes, so one block of 251 * 256 bytes sent again
 * and again is the pattern at any length. Prints {@code connected} once connected; the fault tests kill
 * it long before {@code BYTES}, which only bounds it should nobody do so.
 */
public final class FirehosePeer {
    private FirehosePeer() {
    }

    public static void main(String[] args) throws Exception {
        long total = Long.parseLong(args[1]);
        Socket socket = Net.socket(Endpoint.parse(args[0]), ConnectOptions.defaults());
        socket.on(Socket.CONNECT, () -> {
            System.out.println("connected");
            System.out.flush();
        });
        socket.on(Socket.ERROR, e -> {
            System.err.println("firehose: " + e.getMessage());
            System.exit(1);
        });
        OutputStream out = socket.outputStream();
        socket.connect();
        byte[] block = TestBytes.pattern(251 * 256);
        for (long sent = 0; sent < total; ) {
            int n = (int) Math.min(block.length, total - sent);
            out.write(block, 0, n);
            sent += n;
        }
        out.close();
    }
}
