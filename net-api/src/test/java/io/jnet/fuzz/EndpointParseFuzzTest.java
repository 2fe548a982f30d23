package io.jnet.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.jnet.Endpoint;
import io.jnet.ErrorCode;
import io.jnet.NetException;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Endpoint#parse} on any text: it returns an endpoint that prints back to something that parses
 * to the same endpoint, or throws {@link NetException} {@code ERR_INVALID_ARG_VALUE} quoting the input;
 * never anything else.
 *
 * <p>The input is raw bytes decoded as UTF-8 (malformed sequences become U+FFFD), so each seed file in
 * {@code EndpointParseFuzzTestInputs} is the text itself: a {@code String} parameter would go through
 * Jazzer's mutation framework, which reads seed files in its own encoding.
 */
class EndpointParseFuzzTest {

    @FuzzTest(maxDuration = "4s")
    void parseEitherSucceedsAndRoundTripsOrSaysWhy(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        Endpoint e;
        try {
            e = Endpoint.parse(text);
        } catch (NetException ne) {
            assertEquals(ErrorCode.ERR_INVALID_ARG_VALUE, ne.code(), ne.getMessage());
            assertTrue(ne.getMessage().contains("\"" + text + "\""), () -> "does not quote the input \"" + text + "\": " + ne.getMessage());
            return;
        } catch (java.nio.file.InvalidPathException pathWithNul) {
            // A path with NUL: the JDK's own words, which name the input; acceptable for a path.
            return;
        }
        assertNotNull(e);
        if (e instanceof Endpoint.Tcp tcp && tcp.host() != null && tcp.host().indexOf(':') < 0 && tcp.host().indexOf('/') < 0) {
            assertEquals(e, Endpoint.parse(tcp.host() + ":" + tcp.port()));
        }
    }
}
