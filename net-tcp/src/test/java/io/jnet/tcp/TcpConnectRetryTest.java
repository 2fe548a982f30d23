package io.jnet.tcp;

import io.jnet.ConnectOptions;
import io.jnet.Endpoint;
import io.jnet.ErrorCode;
import io.jnet.Net;
import io.jnet.NetException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link Net#connectAsync}'s retry over TCP: only "nobody listens" is worth another attempt. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TcpConnectRetryTest {
    @Test
    void aFailureOtherThanNobodyListeningIsNotRetriedEvenWithTimeLeft() {
        // 192.0.2.1 (TEST-NET-1) is no address of this host: binding it fails with EADDRNOTAVAIL.
        ConnectOptions options = ConnectOptions.builder().localAddress("192.0.2.1")
                .retry(Duration.ofSeconds(60), Duration.ofMillis(10)).build();
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> Net.connectAsync(Endpoint.tcp("127.0.0.1", 9), options).get(20, TimeUnit.SECONDS));
        NetException failure = assertInstanceOf(NetException.class, e.getCause());
        assertEquals(ErrorCode.EADDRNOTAVAIL, failure.code());
        assertEquals("bind EADDRNOTAVAIL 192.0.2.1", failure.getMessage()); // Node's words for a local bind
        assertFalse(failure.getMessage().contains("attempts"), failure.getMessage()); // the first attempt's own error
    }

    @Test
    void aRefusedPortIsRetriedUntilTheDeadline() {
        ConnectOptions options = ConnectOptions.builder().retry(Duration.ofMillis(200), Duration.ofMillis(10)).build();
        // Port 9 (discard) on loopback: nothing listens there in a test environment.
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> Net.connectAsync(Endpoint.tcp("127.0.0.1", 9), options).get(20, TimeUnit.SECONDS));
        NetException failure = assertInstanceOf(NetException.class, e.getCause());
        assertEquals(ErrorCode.ECONNREFUSED, failure.code());
        assertTrue(failure.getMessage().contains("attempts"), failure.getMessage());
    }
}
