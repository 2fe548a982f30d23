package io.jnet.it.conformance;

import io.jnet.ConnectOptions;
import io.jnet.Endpoint;
import io.jnet.Net;
import io.jnet.Server;
import io.jnet.Socket;

import java.time.Duration;

/**
 * A child JVM for {@link NodeNetJvmExitConformanceTest}: sets up one scenario, prints {@code ready},
 * and returns from main; whether the JVM then exits, and what it printed first, is the result.
 */
public final class ExitChild {
    private ExitChild() {
    }

    public static void main(String[] args) {
        String mode = args[0];
        Server server = Net.createServer(s -> {
            s.unref();
            s.on(Socket.DATA, c -> { });
            s.on(Socket.END, s::end);
        });
        server.unref();
        if (mode.equals("the-readme-exchange")) {
            theReadmeExchange();
            return;
        }
        if (mode.equals("unref-before-listen")) {
            Net.createServer().unref().listen(Endpoint.tcp("127.0.0.1", 0));
            say("ready");
            return;
        }
        server.listen(Endpoint.tcp("127.0.0.1", 0));
        Socket client = Net.socket(server.address(), ConnectOptions.defaults());
        switch (mode) {
            case "unref-with-timeout" -> client.on(Socket.CONNECT, () -> {
                client.setTimeout(Duration.ofSeconds(8));
                client.on(Socket.TIMEOUT, () -> say("timeout"));
                client.unref();
                say("connect");
            });
            case "ref-after-unref" -> {
                client.unref();
                client.ref();
                client.on(Socket.CONNECT, () -> say("connect"));
            }
            case "close-before-exit" -> {
                client.on(Socket.CLOSE, hadError -> say("close:" + hadError));
                client.connect();
                client.end();
                say("ready");
                return;
            }
            case "connect-before-exit" -> client.on(Socket.CONNECT, () -> {
                say("connect");
                client.destroy();
            });
            default -> throw new IllegalArgumentException(mode);
        }
        client.connect();
        say("ready");
    }

    /**
     * A main as a new user writes it from the README: a server, a client that connects, sends, ends and
     * closes the server from its CLOSE listener, then main returns. Every event must print.
     */
    private static void theReadmeExchange() {
        Server echo = Net.createServer(socket -> {
            say("server: connection");
            socket.on(Socket.DATA, socket::write);
            socket.on(Socket.END, socket::end);
        });
        echo.on(Server.CLOSE, () -> {
            // A listener that takes a while (flushing a log, say): the JVM must wait for it too.
            java.util.concurrent.locks.LockSupport.parkNanos(java.time.Duration.ofMillis(100).toNanos());
            say("server: close");
        });
        echo.listen(Endpoint.tcp("127.0.0.1", 0));
        Socket client = Net.socket(echo.address(), ConnectOptions.defaults());
        client.on(Socket.CONNECT, () -> say("client: connect"));
        client.on(Socket.DATA, chunk -> say("client: data " + java.nio.charset.StandardCharsets.UTF_8.decode(chunk)));
        client.on(Socket.END, () -> say("client: end"));
        client.on(Socket.CLOSE, hadError -> {
            say("client: close " + hadError);
            echo.close();
        });
        client.connect();
        client.end("hello");
    }

    private static void say(String line) {
        System.out.println(line);
        System.out.flush();
    }
}
