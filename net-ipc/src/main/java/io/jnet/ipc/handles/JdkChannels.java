package io.jnet.ipc.handles;

import io.jnet.ErrorCode;
import io.jnet.NetException;

import java.io.FileDescriptor;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.NetworkChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.SelectorProvider;

/**
 * The JDK's own TCP channels from and to descriptors. jnet's TCP loops use the JDK's epoll selector,
 * which registers only the JDK's channel classes; junixsocket's {@code FileDescriptorCast} turns a
 * received TCP descriptor into its own {@code AFGenericSocketChannel}, which that selector refuses
 * ({@code IllegalSelectorException}, tried on 2.10.1). The JDK has no public way to make a channel of
 * a descriptor, so this reaches the constructors its own {@code accept()} uses, and the descriptor and
 * family of a channel, in {@code sun.nio.ch}: that needs
 * {@code --add-opens java.base/sun.nio.ch=io.jnet.ipc} ({@code =ALL-UNNAMED} on the class path),
 * and says so when it is missing.
 */
final class JdkChannels {
    private JdkChannels() {
    }

    /** Resolved once; {@code failure} says why passing TCP handles cannot work in this JVM. */
    private static final class Access {
        static final Method GET_FD;
        static final Field SOCKET_FAMILY;
        static final Field SERVER_FAMILY;
        static final Constructor<?> SOCKET;
        static final Constructor<?> SERVER;
        static final RuntimeException failure;

        static {
            Method getFd = null;
            Field socketFamily = null;
            Field serverFamily = null;
            Constructor<?> socket = null;
            Constructor<?> server = null;
            RuntimeException why = null;
            try {
                Class<?> selCh = Class.forName("sun.nio.ch.SelChImpl");
                Class<?> socketImpl = Class.forName("sun.nio.ch.SocketChannelImpl");
                Class<?> serverImpl = Class.forName("sun.nio.ch.ServerSocketChannelImpl");
                getFd = selCh.getMethod("getFD");
                socketFamily = socketImpl.getDeclaredField("family");
                serverFamily = serverImpl.getDeclaredField("family");
                socket = socketImpl.getDeclaredConstructor(SelectorProvider.class, ProtocolFamily.class,
                        FileDescriptor.class, SocketAddress.class);
                server = serverImpl.getDeclaredConstructor(SelectorProvider.class, ProtocolFamily.class,
                        FileDescriptor.class, boolean.class);
                getFd.setAccessible(true);
                socketFamily.setAccessible(true);
                serverFamily.setAccessible(true);
                socket.setAccessible(true);
                server.setAccessible(true);
            } catch (ReflectiveOperationException | RuntimeException e) {
                why = new NetException(ErrorCode.ERR_TRANSPORT_UNAVAILABLE, null, null,
                        "passing TCP sockets and servers needs the JDK's channels from descriptors: run the JVM with "
                                + "--add-opens java.base/sun.nio.ch=io.jnet.ipc (on the class path: "
                                + "--add-opens java.base/sun.nio.ch=ALL-UNNAMED); " + e, e);
            }
            GET_FD = getFd;
            SOCKET_FAMILY = socketFamily;
            SERVER_FAMILY = serverFamily;
            SOCKET = socket;
            SERVER = server;
            failure = why;
        }

        static void check() {
            if (failure != null) {
                throw failure;
            }
        }
    }

    /** @throws NetException {@code ERR_TRANSPORT_UNAVAILABLE} naming the JVM option this JVM lacks */
    static void requireAccess() {
        Access.check();
    }

    /** Whether {@code channel} is one of the JDK's own (a TCP channel jnet can pass), not junixsocket's. */
    static boolean isJdkChannel(NetworkChannel channel) {
        return channel.getClass().getName().startsWith("sun.nio.ch.");
    }

    /** The descriptor of a JDK channel; still owned by the channel. */
    static FileDescriptor descriptor(NetworkChannel channel) {
        Access.check();
        return (FileDescriptor) invoke(() -> Access.GET_FD.invoke(channel));
    }

    static StandardProtocolFamily family(NetworkChannel channel) {
        Access.check();
        Field f = channel instanceof ServerSocketChannel ? Access.SERVER_FAMILY : Access.SOCKET_FAMILY;
        Object family = invoke(() -> f.get(channel));
        return family == StandardProtocolFamily.INET6 ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET;
    }

    /** A connected, non-blocking JDK channel owning {@code fd}. */
    static SocketChannel socket(FileDescriptor fd, StandardProtocolFamily family, SocketAddress peer) throws IOException {
        Access.check();
        SocketChannel ch = (SocketChannel) construct(Access.SOCKET, SelectorProvider.provider(), family, fd, peer);
        ch.configureBlocking(false);
        return ch;
    }

    /** A listening, non-blocking JDK channel owning {@code fd}. */
    static ServerSocketChannel server(FileDescriptor fd, StandardProtocolFamily family) throws IOException {
        Access.check();
        ServerSocketChannel ch = (ServerSocketChannel) construct(Access.SERVER, SelectorProvider.provider(), family, fd, true);
        ch.configureBlocking(false);
        return ch;
    }

    private interface Reflective {
        Object call() throws ReflectiveOperationException;
    }

    private static Object invoke(Reflective r) {
        try {
            return r.call();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("the JDK's channel internals changed: " + e, e);
        }
    }

    private static Object construct(Constructor<?> c, Object... args) throws IOException {
        try {
            return c.newInstance(args);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IllegalStateException("the JDK's channel internals changed: " + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("the JDK's channel internals changed: " + e, e);
        }
    }
}
