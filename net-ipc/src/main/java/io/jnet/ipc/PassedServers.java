package io.jnet.ipc;

import io.jnet.Endpoint;
import io.jnet.spi.ServerBinding;
import org.newsclub.net.unix.AFUNIXServerSocketChannel;
import org.newsclub.net.unix.AFUNIXSocketAddress;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * The socket files of IPC servers passed between processes ({@code io.jnet.ipc.handles}): which file a
 * server's binding owns, handing it over with the socket, and a binding for a received listening socket.
 * Not API (this package is not exported). Thread-safe.
 */
public final class PassedServers {
    private PassedServers() {
    }

    /** The socket file {@code binding} was published at; null for an abstract name or a binding not of net-ipc. */
    public static Path socketFile(ServerBinding binding) {
        return binding instanceof IpcServerBinding ipc ? ipc.publicPath() : null;
    }

    /** Another process gets a copy of the socket; {@code binding} keeps its files, and closes without ending the other's. */
    public static void share(ServerBinding binding) {
        if (binding instanceof IpcServerBinding ipc) {
            ipc.share();
        }
    }

    /** The socket goes to another process with its files: closing {@code binding} will leave them. */
    public static void handOver(ServerBinding binding) {
        if (binding instanceof IpcServerBinding ipc) {
            ipc.handOver();
        }
    }

    /**
     * A binding for a listening channel another process passed. {@code socketFile} is where the sender
     * published it (null for an abstract name); the channel's own bound name must be that file or the
     * private name jnet binds beside it, else no file is touched. With {@code ownsFiles} the binding's
     * close removes the socket file and the private name, as the sender's would have.
     */
    public static ServerBinding adopt(AFUNIXServerSocketChannel channel, Path socketFile, boolean ownsFiles) throws IOException {
        AFUNIXSocketAddress local = channel.getLocalAddress();
        if (local == null) {
            throw new IOException("the passed server socket is not bound");
        }
        Path bound = local.hasFilename() ? Path.of(local.getPath()) : null;
        if (socketFile == null || bound == null) {
            return shared(new IpcServerBinding(channel, new IpcTransport().endpointOf(local), null, null, null, false));
        }
        Path privateSocket;
        if (bound.equals(socketFile)) {
            privateSocket = null;
        } else if (SocketFileBinder.isPrivateNameFor(bound, socketFile)) {
            privateSocket = bound;
        } else {
            // Not the file the frame names: serve it under its own name and remove nothing.
            return shared(new IpcServerBinding(channel, Endpoint.ipc(bound), null, null, null, false));
        }
        Object inode;
        try {
            inode = Files.getAttribute(bound, "unix:ino", LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            inode = null; // the file is gone already: nothing at the path is ours to remove
        }
        Endpoint.Ipc endpoint = Endpoint.ipc(socketFile);
        if (privateSocket != null) {
            PrivateNames.remember(privateSocket, endpoint);
        }
        return shared(new IpcServerBinding(channel, endpoint, socketFile, privateSocket, inode, ownsFiles));
    }

    private static IpcServerBinding shared(IpcServerBinding binding) {
        binding.share();
        return binding;
    }
}
