package io.jnet.testkit;

import io.jnet.ConnectOptions;
import io.jnet.Endpoint;
import io.jnet.Net;
import io.jnet.Socket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * What JUnit does with the extension: the first test of each class leaves a client connected, the
 * second looks at what became of it. The tests of a class run in their declared order for that reason.
 */
class JnetServerExtensionLifecycleTest {
    private static final Duration WAIT = Duration.ofSeconds(5);

    @Nested
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    class RegisteredInAnInstanceField {
        private static EventTrace firstClient;
        private static Endpoint firstEndpoint;

        @RegisterExtension
        JnetServerExtension server = JnetServerExtension.tcp(null);

        @Test
        @Order(1)
        void leavesAClientConnected() {
            firstEndpoint = server.endpoint();
            firstClient = connect(server);
            await().atMost(WAIT).until(() -> server.connections().size() == 1);
        }

        @Test
        @Order(2)
        void theNextTestHasAFreshServerAndThatClientWasClosedAfterTheFirst() {
            assertNotNull(firstClient, "run with the first test");
            firstClient.awaitEvent("close false", WAIT).assertSequence("connect", "end", "close false");
            assertNotEquals(firstEndpoint, server.endpoint());
            assertEquals(0, server.connections().size());
        }
    }

    @Nested
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    class RegisteredInAStaticField {
        private static EventTrace firstClient;
        private static Endpoint firstEndpoint;

        @RegisterExtension
        static JnetServerExtension server = JnetServerExtension.tcp(null);

        @AfterAll
        static void theClientIsClosedOnceTheClassIsDone() {
            // afterAll callbacks of extensions run after the class's own @AfterAll methods, so not yet here.
            server.close();
            firstClient.awaitEvent("close false", WAIT);
        }

        @Test
        @Order(1)
        void leavesAClientConnected() {
            firstEndpoint = server.endpoint();
            firstClient = connect(server);
            await().atMost(WAIT).until(() -> server.connections().size() == 1);
        }

        @Test
        @Order(2)
        void theNextTestHasTheSameServerWithThatClientStillConnected() {
            assertNotNull(firstClient, "run with the first test");
            assertEquals(firstEndpoint, server.endpoint());
            assertEquals(1, server.connections().size());
            firstClient.assertEvents("connect");
        }
    }

    private static EventTrace connect(JnetServerExtension server) {
        Socket client = Net.socket(server.endpoint(), ConnectOptions.defaults());
        EventTrace trace = EventTrace.of(client); // reading, or it would not notice the server go
        client.connect();
        trace.awaitEvent("connect", WAIT);
        return trace;
    }
}
