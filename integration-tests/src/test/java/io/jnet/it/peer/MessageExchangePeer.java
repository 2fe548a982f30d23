package io.jnet.it.peer;

import io.jnet.Endpoint;
import io.jnet.codec.MessageChannel;
import io.jnet.Net;
import io.jnet.Server;
import io.jnet.Socket;

/**
 * The far end of a full-duplex message exchange, in a JVM of its own:
 * {@code MessageExchangePeer ENDPOINT COUNT THEIR_SEED OUR_SEED}. For each connection it sends its own
 * {@link MessageStream} ({@code OUR_SEED}) while it checks the client's ({@code THEIR_SEED}); once it
 * has sent everything and received all {@code COUNT} messages intact it sends one more message,
 * {@code verified COUNT}, and ends. A wrong message destroys the connection and is printed on stderr.
 * Prints {@code listening on ADDRESS}; serves until killed.
 */
public final class MessageExchangePeer {
    private MessageExchangePeer() {
    }

    public static void main(String[] args) {
        int count = Integer.parseInt(args[1]);
        long theirSeed = Long.parseLong(args[2]);
        long ourSeed = Long.parseLong(args[3]);
        Server server = Net.createServer(socket -> {
            MessageChannel channel = MessageChannel.lengthPrefixed(socket, MessageStream.MAX_SIZE);
            MessageStream expected = new MessageStream(theirSeed, count);
            int[] received = {0};
            boolean[] sentAll = {false};
            Runnable finishIfDone = () -> {
                if (sentAll[0] && received[0] == count) {
                    channel.send("verified " + count);
                    socket.end();
                }
            };
            channel.on(MessageChannel.MESSAGE, m -> {
                String problem = received[0] < count ? expected.check(received[0], m) : "message after the last one";
                if (problem != null) {
                    System.err.println("exchange peer: " + problem);
                    socket.destroy();
                    return;
                }
                received[0]++;
                finishIfDone.run();
            });
            socket.on(Socket.ERROR, e -> System.err.println("exchange peer: " + e.getMessage()));
            MessageStream.sendAll(channel, new MessageStream(ourSeed, count), () -> {
                sentAll[0] = true;
                finishIfDone.run();
            });
        });
        server.listen(Endpoint.parse(args[0]));
        System.out.println("listening on " + server.address());
        System.out.flush();
    }
}
