/**
 * jnet's IPC transport on Unix domain sockets (junixsocket): add {@code io.jnet:net-ipc} and
 * {@link io.jnet.Net} serves {@link io.jnet.Endpoint.Ipc} and {@link io.jnet.Endpoint.IpcAbstract}
 * endpoints. Nothing here is called directly: {@code requires io.jnet.ipc;} reads {@code io.jnet.api}
 * too.
 */
module io.jnet.ipc {
    requires transitive io.jnet.api;
    requires org.newsclub.net.unix;
    // junixsocket's own module does not require the jar holding its native library: it looks for it
    // with Class.forName, which on the module path finds only resolved modules. Without this line the
    // first socket fails with UnsatisfiedLinkError (the class path hides it: every jar is there).
    requires com.kohlschutter.junixsocket.nativecommon;
    requires org.slf4j;

    exports io.jnet.ipc.handles;

    provides io.jnet.spi.Transport with io.jnet.ipc.IpcTransport;
}
