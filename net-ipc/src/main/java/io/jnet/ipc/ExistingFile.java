package io.jnet.ipc;

import io.jnet.ErrorCode;
import io.jnet.NetException;
import io.jnet.ServerOptions;
import org.newsclub.net.unix.AFUNIXSocketAddress;
import org.newsclub.net.unix.AFUNIXSocketChannel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Decides what to do about whatever already sits on a socket path before {@code listen} creates it:
 * nothing there is fine; a live listener, a regular file or a directory is {@code EADDRINUSE}; a stale
 * socket file (nobody listens) is {@code EADDRINUSE} unless {@link ServerOptions#reclaimStale()}, in
 * which case it is removed. junixsocket itself would silently replace all of these, live listeners and
 * regular files included, so this check is what keeps {@code listen} from destroying anything.
 */
final class ExistingFile {
    /** {@code S_IFMT} and {@code S_IFSOCK} from {@code <sys/stat.h>}. */
    private static final int S_IFMT = 0170000;
    private static final int S_IFSOCK = 0140000;

    private ExistingFile() {
    }

    /**
     * Clears the way for a new socket file at {@code path}, or throws the reason it may not be created.
     * Called on the caller's thread of {@code listen}; may block for one local connect attempt.
     */
    static void makeRoom(Path path, AFUNIXSocketAddress address, ServerOptions options) {
        Object inode;
        int mode;
        try {
            mode = (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
            inode = Files.getAttribute(path, "unix:ino", LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return;
        } catch (IOException | UnsupportedOperationException e) {
            // Cannot look (no search permission on the directory, or no unix view): let bind say what is wrong.
            return;
        }
        if ((mode & S_IFMT) != S_IFSOCK) {
            throw new NetException(ErrorCode.EADDRINUSE, "listen", path.toString(),
                    "address already in use: a " + kind(mode) + " that is not a socket is at the path;"
                            + " jnet never replaces it, remove it yourself or choose another path", null);
        }
        switch (probe(address)) {
            case LIVE -> throw new NetException(ErrorCode.EADDRINUSE, "listen", path.toString(),
                    "address already in use: another server is listening on the socket file", null);
            case UNKNOWN -> throw new NetException(ErrorCode.EADDRINUSE, "listen", path.toString(),
                    "address already in use: a socket file is there and this process may not connect to it"
                            + " to see whether anyone listens (permission denied); it is left alone", null);
            case STALE -> {
                if (!options.reclaimStale()) {
                    throw new NetException(ErrorCode.EADDRINUSE, "listen", path.toString(),
                            "address already in use: a stale socket file is there (nobody listens on it, its server"
                                    + " probably died); remove the file, or listen with"
                                    + " ServerOptions.builder().reclaimStale(true) to replace it", null);
                }
                removeIfSame(path, inode);
            }
        }
    }

    private enum Liveness { LIVE, STALE, UNKNOWN }

    /** A non-blocking connect: refused means stale; connected or pending (a full backlog) means live. */
    private static Liveness probe(AFUNIXSocketAddress address) {
        try (AFUNIXSocketChannel probe = AFUNIXSocketChannel.open()) {
            probe.configureBlocking(false);
            probe.connect(address);
            return Liveness.LIVE;
        } catch (IOException e) {
            String m = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
            if (m.contains("refused")) {
                return Liveness.STALE;
            }
            if (m.contains("no such file")) {
                return Liveness.STALE; // removed meanwhile: nothing left to reclaim, nothing live either
            }
            return Liveness.UNKNOWN;
        }
    }

    /** Removes the stale file only if it is still the one probed, so a server that started meanwhile keeps its file. */
    private static void removeIfSame(Path path, Object probedInode) {
        try {
            Object now = Files.getAttribute(path, "unix:ino", LinkOption.NOFOLLOW_LINKS);
            if (now.equals(probedInode)) {
                Files.deleteIfExists(path);
                SocketFileBinder.removeOrphanedPrivateName(path, probedInode);
            }
        } catch (NoSuchFileException gone) {
            // Someone else removed it; the way is clear.
        } catch (IOException e) {
            throw new NetException(io.jnet.spi.Errors.codeOf(e), "listen", path.toString(),
                    "could not remove the stale socket file: " + e.getMessage(), e);
        }
    }

    private static String kind(int mode) {
        return switch (mode & S_IFMT) {
            case 0100000 -> "regular file";
            case 0040000 -> "directory";
            case 0120000 -> "symbolic link";
            case 0010000 -> "FIFO";
            default -> "file";
        };
    }
}
