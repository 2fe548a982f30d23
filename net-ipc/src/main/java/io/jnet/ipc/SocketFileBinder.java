package io.jnet.ipc;

import io.jnet.Endpoint;
import io.jnet.ErrorCode;
import io.jnet.NetException;
import io.jnet.ServerOptions;
import io.jnet.spi.Errors;
import org.newsclub.net.unix.AFUNIXServerSocket;
import org.newsclub.net.unix.AFUNIXServerSocketChannel;
import org.newsclub.net.unix.AFUNIXSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.EnumSet;
import java.util.Set;

/**
 * Creates a listening socket file that is owner-only ({@code 0600}) from the first moment, whatever the
 * umask, and never replaces anything that was at the path.
 *
 * <p>How: {@code bind(2)} creates the file with {@code 0666 & ~umask}, so binding at the public path and
 * then calling {@code chmod} leaves a window in which any local user may connect. Instead the socket is
 * bound inside a fresh {@code 0700} directory next to the target ({@code .jnet-XXXXXXXX/s}), chmod-ed
 * there, and published with {@code link(2)}, which is atomic and fails if anything exists at the target.
 * Not {@code rename(2)}: junixsocket's accept checks that the bound name still leads to the socket's
 * inode and closes the server otherwise, so the private name has to stay while the server listens (it
 * is removed with the socket file on close).
 *
 * <p>When the private name would not fit in {@code sun_path} although the target does, or the file
 * system has no hard links, the socket is bound at the target and chmod-ed at once; that narrow window
 * is logged as a warning.
 */
final class SocketFileBinder {
    private static final Logger log = LoggerFactory.getLogger(SocketFileBinder.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String PRIVATE_SOCKET_NAME = "s";
    private static final int MAX_DIRECTORY_ATTEMPTS = 8;
    private static final String PRIVATE_DIRECTORY_PREFIX = ".jnet-";
    /** How many {@code .jnet-*} entries a reclaim looks through for its dead server's private directory. */
    private static final int MAX_ORPHAN_SCAN = 1000;

    private SocketFileBinder() {
    }

    static IpcServerBinding bind(Endpoint.Ipc endpoint, ServerOptions options) {
        Path target = endpoint.path();
        AFUNIXSocketAddress targetAddress = SunPath.of(target, "listen");
        Path parent = parentOf(target);
        checkDirectory(parent, target);
        ExistingFile.makeRoom(target, targetAddress, options);
        Set<PosixFilePermission> mode = modeFor(options);

        Path privateDir = createPrivateDirectory(parent, target);
        if (privateDir == null) {
            return bindInPlace(endpoint, targetAddress, mode, options,
                    "the path is too long to bind in a private directory first");
        }
        Path privateSocket = privateDir.resolve(PRIVATE_SOCKET_NAME);
        AFUNIXServerSocketChannel channel = null;
        try {
            channel = openChannel();
            channel.bind(AFUNIXSocketAddress.of(privateSocket), options.backlog());
            Files.setPosixFilePermissions(privateSocket, mode);
            Object inode = Files.getAttribute(privateSocket, "unix:ino", LinkOption.NOFOLLOW_LINKS);
            if (!publish(target, privateSocket)) {
                cleanUp(channel, privateSocket, privateDir);
                return bindInPlace(endpoint, targetAddress, mode, options, "this file system has no hard links");
            }
            channel.configureBlocking(false);
            PrivateNames.remember(privateSocket, endpoint);
            return new IpcServerBinding(channel, endpoint, target, privateSocket, inode);
        } catch (FileAlreadyExistsException e) {
            cleanUp(channel, privateSocket, privateDir);
            // Someone created the path between our check and the link: theirs wins, never replaced.
            throw new NetException(ErrorCode.EADDRINUSE, "listen", target.toString(),
                    "address already in use: a file appeared at the path while this server was starting", e);
        } catch (IOException | RuntimeException e) {
            cleanUp(channel, privateSocket, privateDir);
            throw listenError(e, target);
        }
    }

    /**
     * Hard-links the private socket to the public path: false when the file system has no hard links.
     *
     * @throws FileAlreadyExistsException when anything appeared at the path meanwhile (never replaced)
     */
    private static boolean publish(Path target, Path privateSocket) throws IOException {
        try {
            Files.createLink(target, privateSocket);
            return true;
        } catch (FileAlreadyExistsException | NoSuchFileException | AccessDeniedException e) {
            throw e;
        } catch (UnsupportedOperationException | java.nio.file.FileSystemException e) {
            log.debug("{}: no hard link ({}); binding in place", target, e.toString());
            return false;
        }
    }

    /** The fallback when the private way is impossible: bind at the target and chmod at once. */
    private static IpcServerBinding bindInPlace(Endpoint.Ipc endpoint, AFUNIXSocketAddress address,
                                                Set<PosixFilePermission> mode, ServerOptions options, String why) {
        Path target = endpoint.path();
        log.warn("{}: {}; binding in place, so for a moment the socket file has the umask's mode before it is"
                + " made {}", target, why, PosixFilePermissions.toString(mode));
        AFUNIXServerSocketChannel channel = null;
        try {
            channel = openChannel();
            channel.bind(address, options.backlog());
            Files.setPosixFilePermissions(target, mode);
            Object inode = Files.getAttribute(target, "unix:ino", LinkOption.NOFOLLOW_LINKS);
            channel.configureBlocking(false);
            return new IpcServerBinding(channel, endpoint, target, null, inode);
        } catch (IOException | RuntimeException e) {
            cleanUp(channel, null, null);
            throw listenError(e, target);
        }
    }

    static IpcServerBinding bindAbstract(Endpoint.IpcAbstract endpoint, ServerOptions options) {
        AFUNIXSocketAddress address = SunPath.ofAbstract(endpoint.name(), "listen");
        AFUNIXServerSocketChannel channel = null;
        try {
            channel = openChannel();
            channel.bind(address, options.backlog());
            channel.configureBlocking(false);
            return new IpcServerBinding(channel, endpoint, null, null, null);
        } catch (IOException e) {
            cleanUp(channel, null, null);
            NetException error = Errors.fromIo(e, "listen", endpoint.toString());
            if (error.code() == ErrorCode.EADDRINUSE) {
                throw new NetException(ErrorCode.EADDRINUSE, "listen", endpoint.toString(),
                        "address already in use: another server is listening on this abstract socket name", e);
            }
            throw error;
        }
    }

    /**
     * After a stale socket file is reclaimed: removes the private directory its dead server left next to
     * it (the one whose socket has the same inode), so crashed servers leave no litter behind for good.
     * Looks at a bounded number of entries; anything it cannot remove stays.
     */
    static void removeOrphanedPrivateName(Path reclaimed, Object inode) {
        Path parent = parentOf(reclaimed);
        try (java.nio.file.DirectoryStream<Path> entries = Files.newDirectoryStream(parent, PRIVATE_DIRECTORY_PREFIX + "*")) {
            int looked = 0;
            for (Path dir : entries) {
                if (++looked > MAX_ORPHAN_SCAN) {
                    return;
                }
                Path socket = dir.resolve(PRIVATE_SOCKET_NAME);
                try {
                    if (inode.equals(Files.getAttribute(socket, "unix:ino", LinkOption.NOFOLLOW_LINKS))) {
                        Files.delete(socket);
                        Files.delete(dir);
                        return;
                    }
                } catch (IOException notThisOne) {
                    // Not a private directory of ours, or already gone: look at the next one.
                }
            }
        } catch (IOException | RuntimeException e) {
            log.debug("looking for the private directory of reclaimed {}: {}", reclaimed, e.toString());
        }
    }

    /** Whether {@code bound} is the name {@link #bind} gives a socket published at {@code target}. */
    static boolean isPrivateNameFor(Path bound, Path target) {
        Path dir = bound.getParent();
        return dir != null && bound.getFileName().toString().equals(PRIVATE_SOCKET_NAME)
                && dir.getFileName() != null && dir.getFileName().toString().startsWith(PRIVATE_DIRECTORY_PREFIX)
                && dir.getParent() != null && dir.getParent().equals(parentOf(target));
    }

    private static AFUNIXServerSocketChannel openChannel() throws IOException {
        AFUNIXServerSocketChannel channel = AFUNIXServerSocketChannel.open();
        // junixsocket's defaults would let this bind take over a live server's path and delete the
        // file when the channel closes; jnet decides both itself.
        channel.socket().setReuseAddress(false);
        ((AFUNIXServerSocket) channel.socket()).setDeleteOnClose(false);
        return channel;
    }

    private static Path parentOf(Path target) {
        Path parent = target.getParent();
        return parent != null ? parent : Path.of(".");
    }

    /** Names a missing or unusable directory before anything is created. */
    private static void checkDirectory(Path parent, Path target) {
        if (!Files.exists(parent)) {
            throw new NetException(ErrorCode.ENOENT, "listen", target.toString(),
                    "no such file or directory: the directory " + parent + " does not exist", null);
        }
        if (!Files.isDirectory(parent)) {
            throw new NetException(ErrorCode.ENOENT, "listen", target.toString(),
                    "no such file or directory: " + parent + " is not a directory", null);
        }
    }

    /** A fresh 0700 directory next to the target, or null when its socket name would not fit in sun_path. */
    private static Path createPrivateDirectory(Path parent, Path target) {
        for (int attempt = 0; attempt < MAX_DIRECTORY_ATTEMPTS; attempt++) {
            Path dir = parent.resolve(PRIVATE_DIRECTORY_PREFIX + Long.toString(RANDOM.nextLong() >>> 24, 36));
            if (!SunPath.fits(dir.resolve(PRIVATE_SOCKET_NAME))) {
                return null;
            }
            try {
                // The umask can only take bits away, so this is at most 0700 from the start.
                return Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(
                        EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE)));
            } catch (FileAlreadyExistsException taken) {
                // A random name collided; draw another.
            } catch (IOException e) {
                throw listenError(e, target);
            }
        }
        throw new NetException(ErrorCode.EIO, "listen", target.toString(),
                "could not create a private directory in " + parent + " after " + MAX_DIRECTORY_ATTEMPTS + " attempts", null);
    }

    private static Set<PosixFilePermission> modeFor(ServerOptions options) {
        Set<PosixFilePermission> mode = EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        if (options.readableAll()) {
            mode.add(PosixFilePermission.GROUP_READ);
            mode.add(PosixFilePermission.OTHERS_READ);
        }
        if (options.writableAll()) {
            mode.add(PosixFilePermission.GROUP_WRITE);
            mode.add(PosixFilePermission.OTHERS_WRITE);
        }
        return mode;
    }

    private static NetException listenError(Exception e, Path target) {
        if (e instanceof NetException ne) {
            return ne;
        }
        if (e instanceof AccessDeniedException) {
            return new NetException(ErrorCode.EACCES, "listen", target.toString(),
                    "permission denied: this process may not create files in " + parentOf(target), e);
        }
        if (e instanceof NoSuchFileException) {
            return new NetException(ErrorCode.ENOENT, "listen", target.toString(),
                    "no such file or directory: the directory " + parentOf(target) + " does not exist", e);
        }
        if (e instanceof IOException io) {
            return Errors.fromIo(io, "listen", target.toString());
        }
        return new NetException(ErrorCode.EIO, "listen", target.toString(), e.toString(), e);
    }

    private static void cleanUp(AFUNIXServerSocketChannel channel, Path privateSocket, Path privateDir) {
        try {
            if (channel != null) {
                channel.close();
            }
            if (privateSocket != null) {
                Files.deleteIfExists(privateSocket);
            }
            if (privateDir != null) {
                Files.deleteIfExists(privateDir);
            }
        } catch (IOException e) {
            log.debug("cleaning up after a failed listen: {}", e.toString());
        }
    }
}
