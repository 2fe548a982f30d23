package io.jnet.spi;

import io.jnet.ErrorCode;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.SocketException;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedChannelException;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ErrorsTest {
    @Test
    void aClosedChannelCausedByTheSocketsOwnErrorIsThatError() {
        // What junixsocket throws when writing to a Unix socket whose peer was killed.
        IOException brokenPipe = new AsynchronousCloseException();
        brokenPipe.initCause(new SocketException("Broken pipe"));
        assertEquals(ErrorCode.EPIPE, Errors.codeOf(brokenPipe));
        IOException reset = new AsynchronousCloseException();
        reset.initCause(new SocketException("Connection reset by peer"));
        assertEquals(ErrorCode.ECONNRESET, Errors.fromIo(reset, "read", "/tmp/x.sock").code());
    }

    @Test
    void aChannelClosedUnderUsIsStillSocketClosed() {
        assertEquals(ErrorCode.ERR_SOCKET_CLOSED, Errors.codeOf(new ClosedChannelException()));
        assertEquals(ErrorCode.ERR_SOCKET_CLOSED, Errors.codeOf(new AsynchronousCloseException()));
    }
}
