package io.jnet.ipc;

import io.jnet.Endpoint;
import io.jnet.spi.ServerBinding;
import org.newsclub.net.unix.AFUNIXServerSocketChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.FileInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A listening IPC channel and the files it owns: the public socket path and, for a socket file, the
 * private directory holding the name junixsocket bound (see {@link SocketFileBinder}). Closing removes
 * the public path only while it is still our socket (same inode), so a server that took the path over
 * meanwhile keeps its file. A binding whose server was passed to another process hands its files over
 * ({@link #handOver()}): from then on its close only closes this process's copy of the socket.
 */
final class IpcServerBinding implements ServerBinding {
    private static final Logger log = LoggerFactory.getLogger(IpcServerBinding.class);

    private final AFUNIXServerSocketChannel channel;
    private final Endpoint address;
    private final Path publicPath;
    private final Path privateSocket;
    private final Object inode;
    /** False once the files went to another process with the socket, or for a copy that never owned them. */
    private final AtomicBoolean ownsFiles;
    /** True once another process holds the socket too: closing must not shut it down for that process. */
    private final AtomicBoolean shared = new AtomicBoolean();

    /**
     * @param publicPath    the path users connect to, or null for an abstract socket
     * @param privateSocket the name junixsocket bound inside the private directory, or null
     * @param inode         the socket file's inode, or null
     */
    IpcServerBinding(AFUNIXServerSocketChannel channel, Endpoint address, Path publicPath, Path privateSocket, Object inode) {
        this(channel, address, publicPath, privateSocket, inode, true);
    }

    /** @param ownsFiles whether closing removes the files (false for a received copy whose sender keeps them) */
    IpcServerBinding(AFUNIXServerSocketChannel channel, Endpoint address, Path publicPath, Path privateSocket,
                     Object inode, boolean ownsFiles) {
        this.channel = channel;
        this.address = address;
        this.publicPath = publicPath;
        this.privateSocket = privateSocket;
        this.inode = inode;
        this.ownsFiles = new AtomicBoolean(ownsFiles);
    }

    /** The public socket path, or null for an abstract name. */
    Path publicPath() {
        return publicPath;
    }

    /**
     * The socket went to another process, which removes the files when it closes: this binding's close
     * leaves them (and the private name, which that process's listener still needs).
     */
    void handOver() {
        ownsFiles.set(false);
        shared.set(true);
    }

    /** Another process holds this listening socket too (it was passed, or received). */
    void share() {
        shared.set(true);
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
            if (shared.get()) {
                releaseDescriptor();
            }
            channel.close();
        } finally {
            if (privateSocket != null) {
                PrivateNames.forget(privateSocket);
            }
            if (ownsFiles.getAndSet(false)) {
                if (publicPath != null) {
                    removeIfOurs(publicPath);
                }
                if (privateSocket != null) {
                    deleteQuietly(privateSocket);
                    deleteQuietly(privateSocket.getParent());
                }
            }
        }
    }

    /**
     * Closes only this process's descriptor. junixsocket's close shuts the socket down first
     * ({@code SHUT_RDWR}, whatever {@code setShutdownOnClose} says), which on a listening socket makes
     * every later connect to it fail, in the other process too; with its descriptor closed under it, it
     * skips that. Called on the loop that selects on the channel (no select sees the freed number).
     */
    private void releaseDescriptor() {
        try {
            new FileInputStream(channel.getFileDescriptor()).close();
        } catch (IOException e) {
            log.debug("{}: releasing the descriptor of a shared listener: {}", address, e.toString());
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
