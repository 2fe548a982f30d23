package io.jnet.tcp;

import io.jnet.Net;
import io.jnet.NetException;
import io.jnet.Server;
import io.jnet.Socket;

/**
 * Run in a child JVM by the fault tests: a jnet echo server on 127.0.0.1 that prints its address,
 * then one line per server error ({@code error EMFILE ...}) so the parent can watch it.
 */
public final class ChildEchoServer {
    private ChildEchoServer() {
    }

    public static void main(String[] args) {
        Server server = Net.createServer(socket -> {
            socket.on(Socket.DATA, socket::write);
            socket.on(Socket.END, socket::end);
            socket.on(Socket.ERROR, e -> { });
        });
        server.on(Server.ERROR, e -> System.out.println("error " + (e instanceof NetException ne ? ne.code() : e) + " " + e.getMessage()));
        server.listen(0, "127.0.0.1");
        System.out.println("listening on " + server.address());
    }
}
