/**
 * jnet's contract: {@link io.jnet.Net}, {@link io.jnet.Socket}, {@link io.jnet.Server}, endpoints, options,
 * typed events and errors (package {@code io.jnet}, the Node API alone); framing and request/response in
 * {@code io.jnet.codec}; and in {@code io.jnet.spi} only what a transport implements (its channels, its
 * selector provider, its errors). The event loops and the socket and server code that every transport
 * shares are internal.
 */
module io.jnet.api {
    requires org.slf4j;

    exports io.jnet;
    exports io.jnet.codec;
    exports io.jnet.spi;

    uses io.jnet.spi.Transport;
}
