package io.jnet.it.peer;

import io.jnet.ConnectOptions;
import io.jnet.Endpoint;
import io.jnet.Net;
import io.jnet.Socket;
import io.jnet.it.TestBytes;

import java.io.InputStream;
import java.io.OutputStream;

/**
 * A jnet client in a JVM of its own: {@code StreamClientPeer ENDPOINT BYTES} sends {@code BYTES} of
 * {@link TestBytes#pattern} to an echo server through the socket's blocking views, half-closes, reads
 * the echo to its end and checks every byte. Prints {@code verified N bytes} and exits 0, or prints
 * what went wrong on stderr and exits 1.
 */
public final class StreamClientPeer {
    private StreamClientPeer() {
    }

    public static void main(String[] args) throws Exception {
        int total = Integer.parseInt(args[1]);
        Socket socket = Net.socket(Endpoint.parse(args[0]), ConnectOptions.defaults());
        InputStream in = socket.inputStream();
        OutputStream out = socket.outputStream();
        socket.connect();
        byte[] payload = TestBytes.pattern(total);
        Thread writer = new Thread(() -> {
            try {
                // Odd-sized writes, so chunk boundaries on the wire differ from the writer's.
                for (int off = 0; off < total; off += 7919) {
                    out.write(payload, off, Math.min(7919, total - off));
                }
                out.close();
            } catch (Exception e) {
                System.err.println("write failed: " + e.getMessage());
            }
        }, "writer");
        writer.start();
        long got = 0;
        byte[] buf = new byte[32 * 1024];
        for (int n; (n = in.read(buf)) >= 0; got += n) {
            long bad = TestBytes.firstMismatch(buf, 0, n, got);
            if (bad >= 0) {
                System.err.println("echo differs from what was sent at byte " + bad);
                System.exit(1);
            }
        }
        writer.join();
        if (got != total) {
            System.err.println("echo ended after " + got + " of " + total + " bytes");
            System.exit(1);
        }
        System.out.println("verified " + got + " bytes");
        System.exit(0);
    }
}
