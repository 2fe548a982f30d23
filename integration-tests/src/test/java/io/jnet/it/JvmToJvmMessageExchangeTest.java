package io.jnet.it;

import io.jnet.ConnectOptions;
import io.jnet.Endpoint;
import io.jnet.codec.MessageChannel;
import io.jnet.Net;
import io.jnet.Socket;
import io.jnet.it.peer.MessageExchangePeer;
import io.jnet.it.peer.MessageStream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Ten thousand length-prefixed messages each way at once between this JVM and a second one, sizes
 * from 1 B to 1 MiB (log-uniform: about 750 MB each way), over TCP and IPC. Both sides check every
 * message in order as it arrives; the peer confirms what it received with a last message.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class JvmToJvmMessageExchangeTest {
    private static final int COUNT = 10_000;
    private static final long OUR_SEED = 20261124L;
    private static final long THEIR_SEED = 4242L;

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(Wire.class)
    void tenThousandMessagesOfRandomSizeCrossBothWaysWholeAndInOrder(Wire wire) throws Exception {
        try (ChildProcess peer = ChildProcess.java(MessageExchangePeer.class, wire.listenArgument(dir),
                String.valueOf(COUNT), String.valueOf(OUR_SEED), String.valueOf(THEIR_SEED))) {
            String line = peer.awaitLine(l -> l.startsWith("listening on "), Duration.ofSeconds(15));
            Endpoint endpoint = Endpoint.parse(line.substring("listening on ".length()));

            MessageStream expected = new MessageStream(THEIR_SEED, COUNT);
            int[] received = {0};
            AtomicReference<String> problem = new AtomicReference<>();
            AtomicReference<String> confirmation = new AtomicReference<>();
            CompletableFuture<Boolean> closed = new CompletableFuture<>();
            Socket socket = Net.socket(endpoint, ConnectOptions.defaults());
            MessageChannel channel = MessageChannel.lengthPrefixed(socket, MessageStream.MAX_SIZE);
            channel.on(MessageChannel.MESSAGE, m -> {
                if (received[0] == COUNT) {
                    confirmation.set(StandardCharsets.UTF_8.decode(m).toString());
                    return;
                }
                String wrong = expected.check(received[0], m);
                if (wrong != null) {
                    problem.compareAndSet(null, wrong);
                    socket.destroy();
                    return;
                }
                received[0]++;
            });
            socket.on(Socket.ERROR, e -> problem.compareAndSet(null, e.toString()));
            socket.on(Socket.CLOSE, closed::complete);
            // No end() of ours: with Node's default (allowHalfOpen false) our END would make the peer end its
            // side too, in the middle of its own stream. The peer ends after its verdict; then we end.
            socket.on(Socket.CONNECT, () -> MessageStream.sendAll(channel, new MessageStream(OUR_SEED, COUNT), null));
            socket.connect();

            boolean hadError = closed.get(100, TimeUnit.SECONDS);
            assertNull(problem.get(), () -> "here: " + problem.get() + "; peer stderr: " + peer.stderr());
            assertEquals(false, hadError);
            assertEquals(COUNT, received[0], "messages received from the peer");
            assertEquals("verified " + COUNT, confirmation.get(), () -> "the peer's verdict; its stderr: " + peer.stderr());
        }
    }
}
