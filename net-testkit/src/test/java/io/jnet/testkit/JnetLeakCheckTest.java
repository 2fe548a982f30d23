package io.jnet.testkit;

import io.jnet.Endpoint;
import io.jnet.Net;
import io.jnet.Server;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JnetLeakCheckTest {

    @Test
    void seesADeliberatelyLeakedServerWithItsAddressAndItsLoopThreadAndNothingOnceItIsClosed() {
        JnetLeakCheck.Baseline before = JnetLeakCheck.baseline();
        Server leaked = Net.createServer();
        leaked.listen(Endpoint.tcp("127.0.0.1", 0));
        int port = ((Endpoint.Tcp) leaked.address()).port();
        try {
            String leaks = JnetLeakCheck.leaksSince(before, Duration.ofMillis(300));
            assertNotNull(leaks, "the open server is a leak");
            assertTrue(leaks.contains(" 127.0.0.1:" + port) && leaks.contains("LISTEN"), leaks);
            assertTrue(leaks.contains("jnet-tcp-"), leaks);
        } finally {
            leaked.close();
        }
        assertNull(JnetLeakCheck.leaksSince(before, Duration.ofSeconds(15)));
    }

    @Test
    void countsDirectMemoryHeldBeyondTheBaseline() {
        long before = JnetLeakCheck.directMemoryUsed();
        ByteBuffer held = ByteBuffer.allocateDirect(1 << 20);
        assertTrue(JnetLeakCheck.directMemoryUsed() >= before + held.capacity());
    }
}
