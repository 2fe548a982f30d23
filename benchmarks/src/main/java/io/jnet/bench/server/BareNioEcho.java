package io.jnet.bench.server;

import io.jnet.bench.Addr;
import io.jnet.bench.Lifetime;
import org.newsclub.net.unix.AFUNIXSelectorProvider;
import org.newsclub.net.unix.AFUNIXSocketAddress;

import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Iterator;

/**
 * The floor: a one-thread selector echo with no features. One shared direct read buffer; a
 * connection gets its own buffer only while the kernel has not taken a whole echo (and stops reading
 * until it has). Also the fixed fast server that every client under test talks to.
 *
 * <p>With {@code -Dbare.heapCopy=true} it is a diagnostic, not a peer: each read is copied into a
 * freshly allocated heap buffer that is then written (what a chunk-owning DATA event costs), which
 * isolates that cost from everything else an event-loop library does.
 *
 * <p>With {@code -Dbare.provider=junixsocket} (IPC only) the same loop runs on junixsocket's
 * {@code AFSelector} and channels, the data path jnet's net-ipc is built on.
 */
public final class BareNioEcho {
    private static final boolean HEAP_COPY = Boolean.getBoolean("bare.heapCopy");

    private BareNioEcho() {
    }

    /** {@code BareNioEcho tcp:127.0.0.1:0|unix:PATH} */
    public static void main(String[] args) throws IOException {
        Addr addr = Addr.parse(args[0]);
        Selector selector;
        ServerSocketChannel server;
        if ("junixsocket".equals(System.getProperty("bare.provider"))) {
            AFUNIXSelectorProvider provider = AFUNIXSelectorProvider.provider();
            selector = provider.openSelector();
            server = provider.openServerSocketChannel();
            server.bind(AFUNIXSocketAddress.of(addr.path()), 4096);
        } else {
            selector = Selector.open();
            server = addr.bind();
        }
        server.configureBlocking(false);
        server.register(selector, SelectionKey.OP_ACCEPT);
        Lifetime.listening(addr.isUnix() ? "unix:" + addr.path() : Addr.describe(server.getLocalAddress()));
        ByteBuffer buf = ByteBuffer.allocateDirect(64 * 1024);
        while (true) {
            selector.select();
            Iterator<SelectionKey> it = selector.selectedKeys().iterator();
            while (it.hasNext()) {
                SelectionKey k = it.next();
                it.remove();
                try {
                    if (k.isAcceptable()) {
                        accept(server, selector, addr.isUnix());
                    } else if (k.isWritable()) {
                        flushPending(k);
                    } else if (k.isReadable()) {
                        echo(k, buf);
                    }
                } catch (IOException e) {
                    k.cancel();
                    k.channel().close();
                }
            }
        }
    }

    private static void accept(ServerSocketChannel server, Selector selector, boolean unix) throws IOException {
        SocketChannel ch;
        while ((ch = server.accept()) != null) {
            ch.configureBlocking(false);
            if (!unix) {
                ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            }
            ch.register(selector, SelectionKey.OP_READ);
        }
    }

    private static void echo(SelectionKey k, ByteBuffer buf) throws IOException {
        SocketChannel ch = (SocketChannel) k.channel();
        buf.clear();
        int n = ch.read(buf);
        if (n < 0) {
            ch.close();
            return;
        }
        buf.flip();
        ByteBuffer out = buf;
        if (HEAP_COPY) {
            out = ByteBuffer.allocate(n).put(buf).flip();
        }
        ch.write(out);
        if (out.hasRemaining()) {
            ByteBuffer rest = ByteBuffer.allocateDirect(out.remaining()).put(out).flip();
            k.attach(rest);
            k.interestOps(SelectionKey.OP_WRITE);
        }
    }

    private static void flushPending(SelectionKey k) throws IOException {
        ByteBuffer rest = (ByteBuffer) k.attachment();
        ((SocketChannel) k.channel()).write(rest);
        if (!rest.hasRemaining()) {
            k.attach(null);
            k.interestOps(SelectionKey.OP_READ);
        }
    }
}
