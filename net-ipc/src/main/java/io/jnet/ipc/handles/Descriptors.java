package io.jnet.ipc.handles;

import org.newsclub.net.unix.FileDescriptorCast;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.IOException;

/** Duplicating and closing raw descriptors (junixsocket does the system calls). */
final class Descriptors {
    private Descriptors() {
    }

    /**
     * A new descriptor for the same socket, owned by the caller. Received descriptors are duplicated
     * before a channel adopts them: junixsocket closes every descriptor it received on a channel that
     * is still open when that channel closes, which would close a live adopted socket with its IPC channel.
     */
    static FileDescriptor duplicate(FileDescriptor fd) throws IOException {
        return FileDescriptorCast.duplicating(fd).as(FileDescriptor.class);
    }

    /** Closes {@code fd} (through a stream, so junixsocket's bookkeeping of a received one lets it go too). */
    static void close(FileDescriptor fd) {
        if (fd == null || !fd.valid()) {
            return;
        }
        try {
            new FileInputStream(fd).close();
        } catch (IOException ignored) {
            // close(2) releases the descriptor even when it reports an error
        }
    }
}
