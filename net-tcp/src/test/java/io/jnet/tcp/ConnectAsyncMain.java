package io.jnet.tcp;

import io.jnet.ConnectOptions;
import io.jnet.Endpoint;
import io.jnet.Net;
import io.jnet.NetException;

import java.net.ServerSocket;
import java.time.Duration;

/**
 * Run in a child JVM by {@link ConnectAsyncKeepAliveTest}: retries a connect to a port nobody listens on,
 * says how the future completed, and returns from main at once. Only jnet can keep the JVM alive.
 */
public final class ConnectAsyncMain {
    private ConnectAsyncMain() {
    }

    public static void main(String[] args) throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort(); // closed again: nobody listens there
        }
        ConnectOptions options = ConnectOptions.builder().retry(Duration.ofMillis(1500), Duration.ofMillis(300)).build();
        Net.connectAsync(Endpoint.tcp("127.0.0.1", port), options).whenComplete((socket, error) ->
                System.out.println("completed " + (error instanceof NetException e ? e.code() : String.valueOf(error))));
        System.out.println("started");
    }
}
