package io.jnet.bench.server;

import io.jnet.bench.Addr;
import io.jnet.bench.Lifetime;

import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/**
 * The JDK's blocking sockets, one platform thread per connection, 64 KiB buffer each: the
 * thread-per-connection peer.
 */
public final class BlockingEcho {
    private BlockingEcho() {
    }

    /** {@code BlockingEcho tcp:127.0.0.1:0|unix:PATH} */
    public static void main(String[] args) throws IOException {
        Addr addr = Addr.parse(args[0]);
        ServerSocketChannel server = addr.bind();
        Lifetime.listening(Addr.describe(server.getLocalAddress()));
        while (true) {
            SocketChannel ch = server.accept();
            if (!addr.isUnix()) {
                ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            }
            Thread t = new Thread(() -> serve(ch), "echo");
            t.setDaemon(true);
            t.start();
        }
    }

    private static void serve(SocketChannel ch) {
        ByteBuffer buf = ByteBuffer.allocateDirect(64 * 1024);
        try (ch) {
            while (true) {
                buf.clear();
                if (ch.read(buf) < 0) {
                    ch.shutdownOutput();
                    return;
                }
                buf.flip();
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
            }
        } catch (IOException e) {
            // The peer went away; this connection's thread is done.
        }
    }
}
