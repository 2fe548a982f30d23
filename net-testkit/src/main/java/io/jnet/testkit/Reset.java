package io.jnet.testkit;

import io.jnet.NetException;
import io.jnet.Socket;

/** Aborts a connection with an RST through {@link Socket#resetAndDestroy()}, saying when it cannot. */
final class Reset {
    private Reset() {
    }

    /**
     * Destroys {@code socket}, with an RST when its transport has one.
     *
     * @return null when an RST was sent, else why not (the socket is destroyed either way), so a test
     *         never believes it saw a reset it did not get
     */
    static String abort(Socket socket) {
        try {
            socket.resetAndDestroy();
            return null;
        } catch (NetException noReset) { // ERR_INVALID_HANDLE_TYPE: an IPC socket has no RST
            socket.destroy();
            return noReset.getMessage();
        }
    }
}
