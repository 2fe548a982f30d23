/**
 * jnet's contract: {@link io.jnet.Net}, {@link io.jnet.Socket}, {@link io.jnet.Server}, endpoints, options,
 * typed events, errors and framing; and, in {@code io.jnet.spi}, the transport service interface and the
 * selector event loop that every transport reuses.
 */
module io.jnet.api {
    requires org.slf4j;

    exports io.jnet;
    exports io.jnet.codec;
    exports io.jnet.spi;

    uses io.jnet.spi.Transport;
}
