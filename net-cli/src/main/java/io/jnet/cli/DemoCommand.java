package io.jnet.cli;

import io.jnet.cli.demo.Demo;

/**
 * {@code jnet demo}: the tour a newcomer runs first. Self-contained (loopback and a temporary
 * directory only), a few seconds at most, exit 0, a readable transcript on stdout.
 */
final class DemoCommand implements Command {
    @Override
    public String name() {
        return "demo";
    }

    @Override
    public String summary() {
        return "a self-contained tour: TCP and IPC echo, messages, HTTP one-shot vs keep-alive";
    }

    @Override
    public String help() {
        return """
                Usage: jnet demo

                Runs jnet against itself, on loopback and in a temporary directory only, and prints
                what happens: a TCP echo server and client; the same over a Unix domain socket;
                framed messages; and HTTP requests to a tiny in-process responder, first one
                connection per request (Connection: close), then one keep-alive connection for all,
                with connection counts and timings side by side. Takes a few seconds; exit 0.
                """;
    }

    @Override
    public int run(Args args) throws Exception {
        if (args.hasNext()) {
            throw args.usage("unexpected argument " + args.next());
        }
        return new Demo(System.out).run();
    }
}
