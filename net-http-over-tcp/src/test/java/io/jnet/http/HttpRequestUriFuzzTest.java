package io.jnet.http;

import com.code_intelligence.jazzer.junit.FuzzTest;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link HttpRequest#get(String)} on any text: either a request the client can send (an http URI with a
 * host and a port in range, whose head {@link RequestWriter} writes as exactly a request line and a
 * {@code Host} field, and whose origin is a TCP endpoint), or an {@link IllegalArgumentException} whose
 * message quotes the text; never another exception, and never a {@link NumberFormatException} that
 * says only "For input string".
 *
 * <p>The input is raw bytes decoded as UTF-8, so each seed file in
 * {@code HttpRequestUriFuzzTestInputs/buildsASendableRequestOrSaysWhy} is the URI text itself.
 */
class HttpRequestUriFuzzTest {

    @FuzzTest(maxDuration = "4s")
    void buildsASendableRequestOrSaysWhy(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        HttpRequest request;
        try {
            request = HttpRequest.get(text);
        } catch (IllegalArgumentException e) {
            assertFalse(e instanceof NumberFormatException, () -> "unexplained: " + e);
            assertNotNull(e.getMessage());
            assertTrue(e.getMessage().contains(text), () -> "does not name the input \"" + text + "\": " + e.getMessage());
            return;
        }
        assertTrue("http".equalsIgnoreCase(request.uri().getScheme()), text);
        assertNotNull(request.uri().getHost(), text);
        assertTrue(request.uri().getPort() >= -1 && request.uri().getPort() <= 65535, text);
        String head = StandardCharsets.ISO_8859_1.decode(RequestWriter.head(request, HttpHeaders.empty())).toString();
        String[] lines = head.split("\r\n", -1);
        assertEquals(4, lines.length, () -> "head of \"" + text + "\": " + Tokens.escape(head));
        assertTrue(lines[0].startsWith("GET /") && lines[0].endsWith(" HTTP/1.1") && lines[0].chars().filter(c -> c == ' ').count() == 2,
                () -> "request line of \"" + text + "\": " + Tokens.escape(lines[0]));
        assertTrue(lines[1].startsWith("Host: ") && lines[1].chars().allMatch(c -> c > 0x20 && c < 0x7f || c == ' '),
                () -> "Host of \"" + text + "\": " + Tokens.escape(lines[1]));
        assertEquals("", lines[2] + lines[3]);
        assertNotNull(Origin.of(request.uri(), null).endpoint());
    }
}
