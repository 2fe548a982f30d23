package io.jnet.it;

import io.jnet.ConnectOptions;
import io.jnet.Endpoint;
import io.jnet.ErrorCode;
import io.jnet.codec.MessageChannel;
import io.jnet.Net;
import io.jnet.NetException;
import io.jnet.Socket;
import io.jnet.it.peer.MessageEchoPeer;
import io.jnet.testkit.EventTrace;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/**
 * Messages between two JVMs: a length-prefixed {@link MessageChannel} on each side, a second JVM as
 * the echo peer, over TCP and IPC. Messages of every size from empty to the frame limit come back
 * whole, in order, however the kernel split the bytes; one over the limit is refused with a clear error.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class JvmToJvmMessageTest {
    private static final int MAX_FRAME = 256 * 1024;
    private static final int MESSAGES = 300;

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(Wire.class)
    void messagesOfEverySizeComeBackWholeAndInOrder(Wire wire) throws Exception {
        try (ChildProcess peer = ChildProcess.java(MessageEchoPeer.class, wire.listenArgument(dir), String.valueOf(MAX_FRAME))) {
            Endpoint endpoint = listening(peer);
            List<byte[]> sent = new ArrayList<>();
            for (int i = 0; i < MESSAGES; i++) {
                // Sizes from 0 up to the limit, mostly small, a few large: frames straddle every chunk size.
                int size = i == MESSAGES - 1 ? MAX_FRAME : (int) ((i * 7919L) % (i % 10 == 0 ? MAX_FRAME : 2048));
                byte[] m = TestBytes.pattern(size + 1);
                sent.add(java.util.Arrays.copyOfRange(m, 1, m.length)); // offset by one so messages differ
            }
            List<byte[]> received = new ArrayList<>();
            Socket socket = Net.socket(endpoint, ConnectOptions.defaults());
            EventTrace trace = EventTrace.withoutData(socket); // the channel reads
            MessageChannel channel = MessageChannel.lengthPrefixed(socket, MAX_FRAME);
            channel.on(MessageChannel.MESSAGE, message -> {
                byte[] b = new byte[message.remaining()];
                message.get(b);
                received.add(b);
                if (received.size() == MESSAGES) {
                    socket.end();
                }
            });
            socket.on(Socket.CONNECT, () -> sent.forEach(channel::send));
            socket.connect();
            trace.awaitClose(Duration.ofSeconds(30)).assertSubsequence("connect", "end", "close false");
            assertEquals(MESSAGES, received.size());
            for (int i = 0; i < MESSAGES; i++) {
                assertArrayEquals(sent.get(i), received.get(i), "message " + i + " of " + sent.get(i).length + " bytes");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Wire.class)
    void aReplyOverTheReceiversLimitDestroysTheSocketWithFrameTooLarge(Wire wire) throws Exception {
        try (ChildProcess peer = ChildProcess.java(MessageEchoPeer.class, wire.listenArgument(dir), String.valueOf(MAX_FRAME))) {
            Endpoint endpoint = listening(peer);
            CompletableFuture<Throwable> error = new CompletableFuture<>();
            Socket socket = Net.socket(endpoint, ConnectOptions.defaults());
            // We may send up to the peer's limit but accept replies only up to 1 KiB: the echo of 4 KiB must be refused.
            MessageChannel channel = MessageChannel.lengthPrefixed(socket, 1024);
            channel.on(MessageChannel.MESSAGE, message -> error.completeExceptionally(
                    new AssertionError("a " + message.remaining() + "-byte reply got through a 1024-byte limit")));
            socket.on(Socket.ERROR, error::complete);
            socket.on(Socket.CONNECT, () -> socket.write(lengthPrefixed(4096)));
            socket.connect();
            Throwable t = error.get(20, TimeUnit.SECONDS);
            NetException e = assertInstanceOf(NetException.class, t);
            assertEquals(ErrorCode.ERR_FRAME_TOO_LARGE, e.code(), e.getMessage());
        }
    }

    private static Endpoint listening(ChildProcess peer) throws InterruptedException {
        String line = peer.awaitLine(l -> l.startsWith("listening on "), Duration.ofSeconds(15));
        return Endpoint.parse(line.substring("listening on ".length()));
    }

    /** A frame written by hand (4-byte big-endian length, then the payload), past our own encoder's limit. */
    private static ByteBuffer lengthPrefixed(int size) {
        return ByteBuffer.allocate(4 + size).putInt(size).put(TestBytes.pattern(size)).flip();
    }
}
