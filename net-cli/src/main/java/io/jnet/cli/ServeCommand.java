package io.jnet.cli;

import io.jnet.Endpoint;
import io.jnet.Net;
import io.jnet.Server;
import io.jnet.Socket;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;

/**
 * {@code jnet serve}: an echo (or discard) server on a TCP port or a Unix socket path that serves any
 * number of clients at once until the process is killed. Its first stdout line,
 * {@code listening on 127.0.0.1:41234}, is what scripts wait for and read the port from.
 */
final class ServeCommand implements Command {

    /** What the server does with the bytes it receives. */
    enum Mode {
        /** Sends every byte back, honouring back-pressure, and ends when the client ends. */
        ECHO,
        /** Reads and drops every byte, and ends when the client ends. */
        DISCARD
    }

    @Override
    public String name() {
        return "serve";
    }

    @Override
    public String summary() {
        return "run an echo or discard server on a TCP port or a Unix socket path";
    }

    @Override
    public String help() {
        return """
                Usage: jnet serve (--port N [--host H] | --unix PATH) [--mode echo|discard]

                Runs a server until killed, serving any number of clients at once.
                The first line on stdout is 'listening on HOST:PORT' (the real port when N is 0)
                or 'listening on PATH'; nothing else is printed on stdout.

                Options:
                  --port N       TCP port to listen on, 0 for any free port
                  --host H       address to listen on (default 127.0.0.1)
                  --unix PATH    listen on a Unix domain socket file instead of TCP
                  --mode MODE    echo (default): send every byte back; discard: read and drop

                Exit codes: 1 when it cannot listen (jnet: listen EADDRINUSE ...), 2 bad command line.
                """;
    }

    @Override
    public int run(Args args) throws InterruptedException {
        Integer port = null;
        String host = null;
        String unix = null;
        Mode mode = Mode.ECHO;
        while (args.hasNext()) {
            String arg = args.next();
            switch (arg) {
                case "--port" -> port = args.intValue(arg, 0, 65535);
                case "--host" -> host = args.value(arg);
                case "--unix" -> unix = args.value(arg);
                case "--mode" -> mode = mode(args, args.value(arg));
                default -> throw args.usage("unexpected argument " + args.positional(arg));
            }
        }
        Endpoint endpoint;
        if (unix != null) {
            if (port != null || host != null) {
                throw args.usage("--unix cannot be combined with --port or --host");
            }
            endpoint = Endpoint.ipc(Path.of(unix));
        } else if (port != null) {
            endpoint = Endpoint.tcp(host == null ? "127.0.0.1" : host, port);
        } else {
            throw args.usage("say where to listen: --port N or --unix PATH");
        }

        Consumer<Socket> handler = mode == Mode.ECHO ? ServeCommand::echo : ServeCommand::discard;
        Server server = Net.createServer(handler);
        CountDownLatch closed = new CountDownLatch(1);
        server.on(Server.CLOSE, closed::countDown);
        // No ERROR listener yet: a bind failure is thrown by listen() and ends the command (exit 1);
        // the listener added after it reports accept failures, which the server survives.
        server.listen(endpoint);
        server.on(Server.ERROR, e -> System.err.println("jnet: " + Failures.describe(e)));
        // Closing on exit (SIGTERM, Ctrl-C) removes an IPC socket file, so the next run can bind the path.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> closeQuietly(server), "jnet-serve-shutdown"));
        System.out.println("listening on " + server.address());
        System.out.flush();
        closed.await();
        return Jnet.EXIT_OK;
    }

    private static Mode mode(Args args, String text) {
        return switch (text) {
            case "echo" -> Mode.ECHO;
            case "discard" -> Mode.DISCARD;
            default -> throw args.usage("--mode must be echo or discard but was \"" + text + "\"");
        };
    }

    /**
     * Echo with back-pressure: stop reading while the peer does not take what we send back. It reads
     * on the borrowed path: the view is the loop's buffer, valid during the listener only, and
     * {@code write} sends what the kernel takes at once straight from it and copies only the rest, so
     * an echo costs no heap chunk per read (see benchmarks/README.md, finding 1).
     */
    private static void echo(Socket socket) {
        socket.on(Socket.ERROR, ServeCommand::reportClientError);
        socket.on(Socket.DRAIN, socket::resume);
        socket.on(Socket.DATA_BORROWED, view -> {
            if (!socket.write(view)) {
                socket.pause();
            }
        });
        socket.on(Socket.END, socket::end);
    }

    private static void discard(Socket socket) {
        socket.on(Socket.ERROR, ServeCommand::reportClientError);
        // Borrowed: dropping the bytes needs no copy of them.
        socket.on(Socket.DATA_BORROWED, view -> { });
        socket.on(Socket.END, socket::end);
    }

    /** One client's failure (a reset, say) is worth a line on stderr but must not stop the server. */
    private static void reportClientError(Throwable e) {
        System.err.println("jnet: client: " + Failures.describe(e));
    }

    private static void closeQuietly(Server server) {
        if (server.isListening()) {
            try {
                server.close();
            } catch (RuntimeException e) {
                // Already closed between the check and the call: nothing left to clean up.
            }
        }
    }
}
