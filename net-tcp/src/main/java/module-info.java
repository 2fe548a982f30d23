/**
 * jnet's TCP transport on {@code java.nio}: add {@code io.jnet:net-tcp} and {@link io.jnet.Net} serves
 * {@link io.jnet.Endpoint.Tcp} endpoints. Nothing here is called directly: {@code requires io.jnet.tcp;}
 * reads {@code io.jnet.api} too.
 */
module io.jnet.tcp {
    requires transitive io.jnet.api;
    requires jdk.net;

    provides io.jnet.spi.Transport with io.jnet.tcp.TcpTransport;
}
