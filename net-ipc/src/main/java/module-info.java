/**
 * jnet's IPC transport on Unix domain sockets (junixsocket): add {@code io.jnet:net-ipc} and
 * {@link io.jnet.Net} serves {@link io.jnet.Endpoint.Ipc} and {@link io.jnet.Endpoint.IpcAbstract}
 * endpoints. Nothing here is called directly.
 */
module io.jnet.ipc {
    requires io.jnet.api;
    requires org.newsclub.net.unix;
    requires org.slf4j;

    provides io.jnet.spi.Transport with io.jnet.ipc.IpcTransport;
}
