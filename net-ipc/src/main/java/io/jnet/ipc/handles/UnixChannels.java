package io.jnet.ipc.handles;

import org.newsclub.net.unix.AFUNIXServerSocketChannel;
import org.newsclub.net.unix.AFUNIXSocketChannel;
import org.newsclub.net.unix.FileDescriptorCast;

import java.io.FileDescriptor;
import java.io.IOException;
import java.nio.channels.NetworkChannel;

/**
 * junixsocket's IPC channels from and to descriptors: unlike TCP ({@link JdkChannels}) this needs no JDK
 * internals, junixsocket makes its own channels of a received descriptor.
 *
 * <p>A passed socket is one kernel socket behind two descriptors, one per process, and junixsocket
 * (2.10.1) always shuts a socket down ({@code SHUT_RDWR}) before it closes it, which ends the connection
 * or stops the listener for the other process too. So the copy that stays behind is closed with its
 * descriptor closed under the channel first (junixsocket then has nothing to shut down): the sender's
 * socket here ({@link HandleChannel}), a listener's in its binding ({@code IpcServerBinding}). A channel
 * junixsocket made of a received descriptor never closes that descriptor itself; closing it here closes
 * the descriptor too.
 */
final class UnixChannels {
    private UnixChannels() {
    }

    /** Whether {@code channel} is one of junixsocket's IPC channels. */
    static boolean isUnixChannel(NetworkChannel channel) {
        return channel instanceof AFUNIXSocketChannel || channel instanceof AFUNIXServerSocketChannel;
    }

    /** The descriptor of an IPC channel, still owned by the channel. */
    static FileDescriptor descriptor(NetworkChannel channel) throws IOException {
        return channel instanceof AFUNIXSocketChannel socket ? socket.getFileDescriptor()
                : ((AFUNIXServerSocketChannel) channel).getFileDescriptor();
    }

    /** A connected, non-blocking IPC channel owning {@code fd}: closing it closes {@code fd}. */
    static AFUNIXSocketChannel socket(FileDescriptor fd) throws IOException {
        AFUNIXSocketChannel channel = FileDescriptorCast.using(fd).as(AFUNIXSocketChannel.class);
        channel.socket().addCloseable(() -> Descriptors.close(fd));
        channel.configureBlocking(false);
        return channel;
    }

    /**
     * A listening, non-blocking IPC channel over {@code fd}; it removes no file when it closes, and its
     * binding must close {@code fd} (junixsocket does not).
     */
    static AFUNIXServerSocketChannel server(FileDescriptor fd) throws IOException {
        AFUNIXServerSocketChannel channel = FileDescriptorCast.using(fd).as(AFUNIXServerSocketChannel.class);
        channel.setDeleteOnClose(false);
        channel.configureBlocking(false);
        return channel;
    }
}
