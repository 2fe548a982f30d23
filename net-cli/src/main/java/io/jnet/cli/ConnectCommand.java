package io.jnet.cli;

import io.jnet.ConnectOptions;
import io.jnet.Endpoint;
import io.jnet.Net;
import io.jnet.Socket;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code jnet connect}: netcat on a jnet socket. stdin goes to the socket and the socket to stdout,
 * byte for byte, through the socket's blocking views so back-pressure holds both ways (a slow stdout
 * pauses the socket; a slow peer blocks the stdin reader). stdin's end half-closes the socket; the
 * command exits 0 once the peer has ended and everything it sent is on stdout.
 */
final class ConnectCommand implements Command {
    private static final int CHUNK = 64 * 1024;

    @Override
    public String name() {
        return "connect";
    }

    @Override
    public String summary() {
        return "connect stdin and stdout to a TCP port or a Unix socket path (netcat)";
    }

    @Override
    public String help() {
        return """
                Usage: jnet connect (HOST PORT | --unix PATH)

                Sends stdin to the socket and writes what the socket receives to stdout, binary-safe,
                with back-pressure both ways. The end of stdin half-closes the connection (the peer
                sees end-of-stream and may go on sending).

                Exit codes: 0 once the peer has closed and all it sent is written to stdout;
                1 on failure, with one line on stderr such as 'jnet: connect ECONNREFUSED 127.0.0.1:9';
                2 bad command line.
                """;
    }

    @Override
    public int run(Args args) throws IOException, InterruptedException {
        List<String> positional = new ArrayList<>();
        String unix = null;
        while (args.hasNext()) {
            String arg = args.next();
            if (arg.equals("--unix")) {
                unix = args.value(arg);
            } else {
                positional.add(args.positional(arg));
            }
        }
        Endpoint endpoint;
        if (unix != null) {
            if (!positional.isEmpty()) {
                throw args.usage("--unix PATH takes no HOST PORT, but got " + String.join(" ", positional));
            }
            endpoint = Endpoint.ipc(Path.of(unix));
        } else if (positional.size() == 2) {
            endpoint = Endpoint.tcp(positional.get(0), args.parseInt("PORT", positional.get(1), 1, 65535));
        } else {
            throw args.usage("expected HOST PORT or --unix PATH, got " + positional.size() + " argument(s)");
        }

        // Views first, connect second: their ERROR/END/CLOSE listeners are in place before anything can fire.
        Socket socket = Net.socket(endpoint, ConnectOptions.defaults());
        InputStream fromPeer = socket.inputStream();
        OutputStream toPeer = socket.outputStream();
        AtomicBoolean peerEnded = new AtomicBoolean();
        socket.on(Socket.END, () -> peerEnded.set(true));
        socket.connect();

        Thread stdinPump = new Thread(() -> pumpStdin(toPeer), "jnet-connect-stdin");
        // A daemon: a peer that closes first must not wait for a user who never closes stdin.
        stdinPump.setDaemon(true);
        stdinPump.start();

        // Raw stdout: System.out is a PrintStream, which swallows write errors (a closed pipe).
        OutputStream stdout = new FileOutputStream(FileDescriptor.out);
        byte[] buf = new byte[CHUNK];
        try {
            for (int n; (n = read(fromPeer, buf, peerEnded)) >= 0; ) {
                stdout.write(buf, 0, n);
            }
            stdout.flush();
        } finally {
            socket.destroy();
        }
        return Jnet.EXIT_OK;
    }

    /**
     * One read from the peer. A failure after the peer's end (our stdin still sending into a socket that
     * has ended) loses nothing, since the stream hands out every received byte before any error, so it
     * counts as the end.
     */
    private static int read(InputStream fromPeer, byte[] buf, AtomicBoolean peerEnded) throws IOException {
        try {
            return fromPeer.read(buf);
        } catch (IOException e) {
            if (peerEnded.get()) {
                return -1;
            }
            throw e;
        }
    }

    /**
     * Copies stdin to the socket until stdin ends, then half-closes. A write that fails means the
     * socket is gone; the reading side reports why, so this thread just stops.
     */
    private static void pumpStdin(OutputStream toPeer) {
        byte[] buf = new byte[CHUNK];
        try {
            for (int n; (n = System.in.read(buf)) >= 0; ) {
                toPeer.write(buf, 0, n);
            }
            toPeer.close();
        } catch (IOException e) {
            // The socket closed under us (peer reset, or the peer finished first): main thread decides the exit.
        }
    }
}
