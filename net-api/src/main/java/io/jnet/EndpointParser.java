package io.jnet;

import java.nio.file.Path;

/** Turns the text a user types ({@code host:port}, {@code [::1]:80}, {@code 8080}, a path) into an {@link Endpoint}. */
final class EndpointParser {
    private EndpointParser() {
    }

    static Endpoint parse(String text) {
        if (text == null || text.isBlank()) {
            throw invalid(text, "it is empty");
        }
        String t = text.strip();
        if (t.indexOf('/') >= 0) {
            return Endpoint.ipc(Path.of(t));
        }
        if (t.startsWith("@") && t.length() > 1) {
            return Endpoint.ipcAbstract(t.substring(1));
        }
        if (t.startsWith("[")) {
            int close = t.indexOf(']');
            if (close < 0 || close + 1 >= t.length() || t.charAt(close + 1) != ':') {
                throw invalid(text, "an IPv6 address must be written [address]:port");
            }
            return tcp(text, t.substring(1, close), port(text, t.substring(close + 2)));
        }
        int colon = t.lastIndexOf(':');
        if (colon < 0) {
            return Endpoint.tcp(port(text, t));
        }
        if (t.indexOf(':') != colon) {
            throw invalid(text, "an IPv6 address must be written [address]:port");
        }
        if (colon == 0) {
            return Endpoint.tcp(port(text, t.substring(1)));
        }
        return tcp(text, t.substring(0, colon), port(text, t.substring(colon + 1)));
    }

    /** The host's own check names the host; the whole text the user typed goes around it. */
    private static Endpoint tcp(String text, String host, int port) {
        try {
            return Endpoint.tcp(host, port);
        } catch (NetException e) {
            throw invalid(text, e.getMessage());
        }
    }

    private static int port(String text, String digits) {
        if (digits.isEmpty() || digits.length() > 5) {
            throw invalid(text, "the port must be 1 to 5 digits");
        }
        int port = 0;
        for (int i = 0; i < digits.length(); i++) {
            char c = digits.charAt(i);
            if (c < '0' || c > '9') {
                throw invalid(text, "the port has a non-digit '" + c + "'");
            }
            port = port * 10 + (c - '0');
        }
        if (port > 65535) {
            throw invalid(text, "the port " + port + " is over 65535");
        }
        return port;
    }

    private static NetException invalid(String text, String why) {
        return new NetException(ErrorCode.ERR_INVALID_ARG_VALUE,
                "not an endpoint: \"" + text + "\" (" + why + "); expected HOST:PORT, [IPv6]:PORT, PORT or a socket path");
    }
}
