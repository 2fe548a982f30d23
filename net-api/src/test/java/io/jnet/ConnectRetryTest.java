package io.jnet;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which failures {@link Net#connectAsync} retries, and how {@link ConnectOptions.Retry} is checked. */
class ConnectRetryTest {
    @Test
    void onlyNobodyListeningIsRetriedNeverAResetOrATimeout() {
        for (ErrorCode code : ErrorCode.values()) {
            boolean expected = code == ErrorCode.ENOENT || code == ErrorCode.ECONNREFUSED;
            assertEquals(expected, ConnectRetry.isRetryable(new NetException(code, "connect", "x", null, null)), code.name());
        }
        assertFalse(ConnectRetry.isRetryable(new IllegalStateException("not a NetException")));
    }

    @Test
    void theBuilderCapsTheBackoffAtOneSecondUnlessTheFirstWaitIsLonger() {
        ConnectOptions.Retry retry = ConnectOptions.builder().retry(Duration.ofSeconds(5), Duration.ofMillis(20)).build().retry();
        assertEquals(Duration.ofSeconds(1), retry.maxBackoff());
        assertTrue(retry.enabled());
        ConnectOptions.Retry slow = ConnectOptions.builder().retry(Duration.ofSeconds(30), Duration.ofSeconds(3)).build().retry();
        assertEquals(Duration.ofSeconds(3), slow.maxBackoff());
        assertFalse(ConnectOptions.defaults().retry().enabled());
    }

    @Test
    void aRetryWithoutABackoffIsRefusedNamingTheValues() {
        NetException e = assertThrows(NetException.class,
                () -> ConnectOptions.builder().retry(Duration.ofSeconds(1), Duration.ZERO));
        assertEquals(ErrorCode.ERR_INVALID_ARG_VALUE, e.code());
        assertTrue(e.getMessage().contains("backoff PT0S"), e.getMessage());
    }
}
