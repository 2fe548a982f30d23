/**
 * jnet's HTTP/1.1 client: {@link io.jnet.http.HttpClient} speaks HTTP over jnet sockets, TCP for
 * {@code http://} URIs or a Unix socket path for local daemons. The TCP transport is found at run time
 * through {@link java.util.ServiceLoader}, so only the API module is required here; it is transitive
 * because a failed exchange's cause is an {@link io.jnet.NetException}.
 */
module io.jnet.http {
    requires transitive io.jnet.api;

    exports io.jnet.http;
}
