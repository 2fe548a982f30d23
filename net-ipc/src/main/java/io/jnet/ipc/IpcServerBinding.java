package io.jnet.ipc;

import io.jnet.Endpoint;
import io.jnet.spi.ServerBinding;
import org.newsclub.net.unix.AFUNIXServerSocketChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * A listening IPC channel and the files it owns: the public socket path and, for a socket file, the
 * private directory holding the name junixsocket bound (see {@link SocketFileBinder}). Closing removes
 * the public path only while it is still our socket (same inode), so a server that took the path over
 * meanwhile keeps its file.
 */
final class IpcServerBinding implements ServerBinding {
    private static final Logger log = LoggerFactory.getLogger(IpcServerBinding.class);

    private final AFUNIXServerSocketChannel channel;
    private final Endpoint address;
    private final Path publicPath;
    private final Path privateSocket;
    private final Object inode;

    /**
     * @param publicPath    the path users connect to, or null for an abstract socket
     * @param privateSocket the name junixsocket bound inside the private directory, or null
     * @param inode         the socket file's inode, or null
     */
    IpcServerBinding(AFUNIXServerSocketChannel channel, Endpoint address, Path publicPath, Path privateSocket, Object inode) {
        this.channel = channel;
        this.address = address;
        this.publicPath = publicPath;
        this.privateSocket = privateSocket;
        this.inode = inode;
    }

    @Override
    public AFUNIXServerSocketChannel channel() {
        return channel;
    }

    @Override
    public Endpoint address() {
        return address;
    }

    @Override
    public void close() throws IOException {
        try {
            channel.close();
        } finally {
            if (publicPath != null) {
                removeIfOurs(publicPath);
            }
            if (privateSocket != null) {
                PrivateNames.forget(privateSocket);
                deleteQuietly(privateSocket);
                deleteQuietly(privateSocket.getParent());
            }
        }
    }

    private void removeIfOurs(Path path) {
        try {
            Object now = Files.getAttribute(path, "unix:ino", LinkOption.NOFOLLOW_LINKS);
            if (now.equals(inode)) {
                Files.delete(path);
            } else {
                log.debug("{} is no longer our socket file (inode {} now, ours was {}); left in place", path, now, inode);
            }
        } catch (IOException e) {
            log.debug("socket file {} not removed: {}", path, e.toString());
        }
    }

    private static void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            log.debug("{} not removed: {}", path, e.toString());
        }
    }

    @Override
    public String toString() {
        return "IpcServerBinding[" + address + "]";
    }
}
