package io.jnet.cli.demo;

import io.jnet.ConnectOptions;
import io.jnet.Endpoint;
import io.jnet.Net;
import io.jnet.Server;
import io.jnet.Socket;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The lesson's first program, the same code over any transport: an echo server and a client that
 * writes one line, half-closes, and reads the echo back to the server's own end. Only the endpoint
 * differs between TCP and IPC.
 */
final class EchoDemo {
    private EchoDemo() {
    }

    /** Runs one echo round trip on {@code listenOn} and closes everything it opened. */
    static void run(Transcript t, Endpoint listenOn, String greeting) throws Exception {
        Server server = Net.createServer(peer -> {
            t.step("server", "connection from " + (peer.remoteAddress() == null ? "an unnamed peer" : peer.remoteAddress()));
            peer.on(Socket.DATA, chunk -> {
                t.step("server", "data " + Transcript.quote(chunk) + " -> writing it back");
                peer.write(chunk);
            });
            peer.on(Socket.END, () -> {
                t.step("server", "end (client half-closed) -> ending our side too");
                peer.end();
            });
        });
        server.listen(listenOn);
        try {
            t.step("server", "listening on " + server.address());
            CompletableFuture<Boolean> closed = new CompletableFuture<>();
            Socket client = Net.socket(server.address(), ConnectOptions.defaults());
            client.on(Socket.CONNECT, () -> {
                t.step("client", "connect -> write " + Transcript.quote(greeting) + ", then end()");
                client.end(greeting);
            });
            client.on(Socket.DATA, chunk -> t.step("client", "data " + Transcript.quote(chunk)));
            client.on(Socket.END, () -> t.step("client", "end (server finished)"));
            client.on(Socket.ERROR, closed::completeExceptionally);
            client.on(Socket.CLOSE, hadError -> {
                t.step("client", "close (hadError=" + hadError + "), " + client.bytesWritten() + " bytes out, "
                        + client.bytesRead() + " bytes in");
                closed.complete(hadError);
            });
            client.connect();
            closed.get(2, TimeUnit.SECONDS);
        } finally {
            server.close();
        }
    }
}
