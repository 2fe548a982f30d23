package io.jnet.tcp;

import io.jnet.Net;
import io.jnet.Server;

/** Run in a child JVM by {@link KeepAliveTest}: listens, then returns from main. */
public final class KeepAliveMain {
    private KeepAliveMain() {
    }

    public static void main(String[] args) {
        Server server = Net.createServer(socket -> { });
        server.listen(0, "127.0.0.1");
        System.out.println("listening on " + server.address());
        switch (args[0]) {
            case "unref" -> server.unref();
            case "close" -> server.close();
            case "ref" -> { }
            default -> throw new IllegalArgumentException(args[0]);
        }
    }
}
