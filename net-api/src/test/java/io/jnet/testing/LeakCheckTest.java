package io.jnet.testing;

import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What LeakCheck sees: a socket left open is listed with its address; a direct buffer is counted. */
class LeakCheckTest {

    @Test
    void anOpenListeningSocketIsSeenWithItsAddressAndGoneOnceClosed() throws Exception {
        Map<Integer, String> before = LeakCheck.networkFds();
        int port;
        Map<Integer, String> during;
        Map<String, String> table;
        try (ServerSocketChannel server = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0))) {
            port = ((InetSocketAddress) server.getLocalAddress()).getPort();
            during = new HashMap<>(LeakCheck.networkFds());
            table = SocketTable.read();
        }
        before.keySet().forEach(during::remove);
        assertEquals(1, during.size(), "one new descriptor: " + during);
        String inode = during.values().iterator().next().replaceAll("\\D", "");
        String described = table.get(inode);
        assertTrue(described != null && described.contains("127.0.0.1:" + port) && described.contains("LISTEN"),
                "inode " + inode + " on port " + port + " described as " + described);
        assertEquals(before, LeakCheck.networkFds());
    }

    @Test
    void directMemoryInUseIsCounted() {
        long before = LeakCheck.directMemoryUsed();
        ByteBuffer held = ByteBuffer.allocateDirect(1 << 20);
        assertTrue(LeakCheck.directMemoryUsed() >= before + held.capacity());
    }
}
