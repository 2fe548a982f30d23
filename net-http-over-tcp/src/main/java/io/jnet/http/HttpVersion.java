package io.jnet.http;

/** The HTTP versions this client reads in a status line; it always sends HTTP/1.1. */
public enum HttpVersion {
    HTTP_1_0("HTTP/1.0"),
    HTTP_1_1("HTTP/1.1");

    private final String text;

    HttpVersion(String text) {
        this.text = text;
    }

    /** As on the wire: {@code HTTP/1.1}. */
    @Override
    public String toString() {
        return text;
    }
}
