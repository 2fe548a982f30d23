package io.jnet;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** net-api alone has no transport: asking for one is a clear error naming the artifact to add. */
class NetWithoutTransportTest {

    @Test
    void connectingWithoutATransportNamesTheArtifactToAdd() {
        NetException e = assertThrows(NetException.class, () -> Net.createConnection(Endpoint.tcp("127.0.0.1", 9)));
        assertEquals(ErrorCode.ERR_TRANSPORT_UNAVAILABLE, e.code());
        assertTrue(e.getMessage().contains("io.jnet:net-tcp"), e.getMessage());
    }

    @Test
    void listeningOnAPathWithoutTheIpcModuleNamesNetIpc() {
        Server server = Net.createServer();
        NetException e = assertThrows(NetException.class, () -> server.listen(Path.of("/tmp/never-created.sock")));
        assertEquals(ErrorCode.ERR_TRANSPORT_UNAVAILABLE, e.code());
        assertTrue(e.getMessage().contains("io.jnet:net-ipc"), e.getMessage());
    }

    @Test
    void endpointsRejectBadPortsWithTheValueInTheMessage() {
        NetException e = assertThrows(NetException.class, () -> Endpoint.tcp("localhost", 70000));
        assertTrue(e.getMessage().contains("70000"), e.getMessage());
    }

    @Test
    void endpointParseUnderstandsHostPortIpv6PortAndPaths() {
        assertEquals(Endpoint.tcp("localhost", 80), Endpoint.parse("localhost:80"));
        assertEquals(Endpoint.tcp("::1", 8080), Endpoint.parse("[::1]:8080"));
        assertEquals(Endpoint.tcp(9000), Endpoint.parse("9000"));
        assertEquals(Endpoint.ipc(Path.of("/run/app.sock")), Endpoint.parse("/run/app.sock"));
        NetException e = assertThrows(NetException.class, () -> Endpoint.parse("host:http"));
        assertTrue(e.getMessage().contains("host:http") && e.getMessage().contains("'h'"), e.getMessage());
    }
}
