package io.jnet.it.peer;

import io.jnet.Endpoint;
import io.jnet.codec.MessageChannel;
import io.jnet.Net;
import io.jnet.Server;
import io.jnet.Socket;

/**
 * A jnet message server in a JVM of its own: {@code MessageEchoPeer ENDPOINT MAX_FRAME} wraps each
 * connection in a length-prefixed {@link MessageChannel} and sends every message back as one message,
 * pausing while the client is not taking the replies. Prints {@code listening on ADDRESS}; serves
 * until killed.
 */
public final class MessageEchoPeer {
    private MessageEchoPeer() {
    }

    public static void main(String[] args) {
        int maxFrame = Integer.parseInt(args[1]);
        Server server = Net.createServer(socket -> {
            MessageChannel channel = MessageChannel.lengthPrefixed(socket, maxFrame);
            channel.on(MessageChannel.MESSAGE, message -> {
                if (!channel.send(message)) {
                    socket.pause();
                }
            });
            socket.on(Socket.DRAIN, socket::resume);
            socket.on(Socket.END, socket::end);
            socket.on(Socket.ERROR, e -> System.err.println("message echo: " + e.getMessage()));
        });
        server.listen(Endpoint.parse(args[0]));
        System.out.println("listening on " + server.address());
        System.out.flush();
    }
}
