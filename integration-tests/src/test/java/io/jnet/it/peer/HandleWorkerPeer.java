package io.jnet.it.peer;

import io.jnet.ConnectOptions;
import io.jnet.Endpoint;
import io.jnet.Net;
import io.jnet.Socket;
import io.jnet.ipc.handles.HandleChannel;
import io.jnet.ipc.handles.ReceivedHandle;

import java.nio.file.Path;

/**
 * A worker JVM for handle passing: {@code HandleWorkerPeer SOCKET_PATH}. Connects to the supervisor's
 * IPC socket and echoes on every socket it is passed, and on every connection of every server it is
 * passed. Prints {@code socket MESSAGE} per passed socket, {@code server MESSAGE} per passed server and
 * {@code connection} per connection a passed server accepted; exits when the supervisor goes.
 */
public final class HandleWorkerPeer {
    private HandleWorkerPeer() {
    }

    public static void main(String[] args) {
        // The channel and listeners first, then connect: nothing is read before the channel is there.
        Socket supervisor = Net.socket(Endpoint.ipc(Path.of(args[0])), ConnectOptions.defaults());
        HandleChannel.of(supervisor, HandleWorkerPeer::serve);
        supervisor.on(Socket.ERROR, e -> System.err.println("worker: " + e.getMessage()));
        supervisor.on(Socket.CLOSE, hadError -> System.exit(0));
        supervisor.connect();
    }

    private static void serve(ReceivedHandle handle) {
        if (handle.kind() == ReceivedHandle.Kind.SOCKET) {
            Echo.attach(handle.socket());
            print("socket " + handle.message());
        } else {
            handle.server(connection -> {
                Echo.attach(connection);
                print("connection");
            });
            print("server " + handle.message());
        }
    }

    private static void print(String line) {
        synchronized (System.out) {
            System.out.println(line);
            System.out.flush();
        }
    }
}
