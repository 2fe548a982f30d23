package io.jnet.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Status line, headers, keep-alive and interim responses; every case in every {@link Split}. */
class ResponseParserTest {

    private static void assertError(ParseRun run, String fragment) {
        assertNotNull(run.error, "expected an error containing \"" + fragment + "\"");
        assertTrue(run.error.getMessage().contains(fragment), () -> "message was: " + run.error.getMessage());
        assertEquals(0, run.completions, "no completion after an error");
    }

    @ParameterizedTest
    @EnumSource(Split.class)
    void readsStatusLineHeadersAndFixedLengthBody(Split split) {
        ParseRun run = ParseRun.of("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\nX-A: 1\r\nx-a: 2\r\n\r\nhello",
                "GET", split, false).ok();
        assertEquals(HttpVersion.HTTP_1_1, run.head.version());
        assertEquals(200, run.head.status());
        assertEquals("OK", run.head.reason());
        assertEquals(List.of("1", "2"), run.head.headers().all("X-A"));
        assertEquals("hello", run.body());
        assertTrue(run.complete());
        assertTrue(run.parser.reusable());
    }

    @ParameterizedTest
    @EnumSource(Split.class)
    void leavesBytesAfterTheMessageUnconsumed(Split split) {
        ParseRun run = ParseRun.of("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhiHTTP/1.1 204 No Content\r\n\r\n", "GET", split, false).ok();
        assertEquals("hi", run.body());
        assertEquals("HTTP/1.1 204 No Content\r\n\r\n", run.leftover());
    }

    @ParameterizedTest
    @EnumSource(Split.class)
    void acceptsBareLfLineEndings(Split split) {
        ParseRun run = ParseRun.of("HTTP/1.1 200 OK\nContent-Length: 3\n\nabc", "GET", split, false).ok();
        assertEquals("abc", run.body());
        assertTrue(run.complete());
    }

    @ParameterizedTest
    @EnumSource(Split.class)
    void rejectsBareCr(Split split) {
        assertError(ParseRun.of("HTTP/1.1 200 OK\r\nX-A: a\rb\r\nContent-Length: 0\r\n\r\n", "GET", split, false), "bare CR");
    }

    @ParameterizedTest
    @EnumSource(Split.class)
    void rejectsNulInHeader(Split split) {
        ParseRun run = ParseRun.of("HTTP/1.1 200 OK\r\nX-A: a\0b\r\n\r\n", "GET", split, false);
        assertError(run, "NUL byte");
        assertEquals(23, run.error.offset()); // 17 bytes of status line, then "X-A: a"
    }

    @ParameterizedTest
    @EnumSource(Split.class)
    void rejectsControlCharacterInHeaderValue(Split split) {
        assertError(ParseRun.of("HTTP/1.1 200 OK\r\nX-A: a\u0001b\r\n\r\n", "GET", split, false), "invalid character 0x01 in value of header X-A");
    }

    @ParameterizedTest
    @EnumSource(Split.class)
    void rejectsWhitespaceBetweenNameAndColon(Split split) {
        ParseRun run = ParseRun.of("HTTP/1.1 200 OK\r\nContent-Length : 0\r\n\r\n", "GET", split, false);
        assertError(run, "whitespace between header name and colon in \"Content-Length : 0\" at byte 31");
    }

    @ParameterizedTest
    @EnumSource(Split.class)
    void rejectsBadCharacterInHeaderName(Split split) {
        assertError(ParseRun.of("HTTP/1.1 200 OK\r\nX(A): 1\r\n\r\n", "GET", split, false), "invalid character '(' in header name");
    }

    @ParameterizedTest
    @EnumSource(Split.class)
    void rejectsHeaderLineWithoutColon(Split split) {
        assertError(ParseRun.of("HTTP/1.1 200 OK\r\nnonsense\r\n\r\n", "GET", split, false), "header line without a colon \"nonsense\"");
    }

    @ParameterizedTest
    @EnumSource(Split.class)
    void replacesObsFoldWithASpace(Split split) {
        ParseRun run = ParseRun.of("HTTP/1.1 200 OK\r\nX-Long: first\r\n  second\r\n\tthird\r\nContent-Length: 0\r\n\r\n", "GET", split, false).ok();
        assertEquals("first second third", run.head.headers().first("x-long").orElseThrow());
    }

    @ParameterizedTest
    @EnumSource(Split.class)
    void rejectsObsFoldBeforeAnyField(Split split) {
        assertError(ParseRun.of("HTTP/1.1 200 OK\r\n folded\r\n\r\n", "GET", split, false), "obs-fold");
    }

    @ParameterizedTest
    @EnumSource(Split.class)
    void trimsOptionalWhitespaceAroundValues(Split split) {
        ParseRun run = ParseRun.of("HTTP/1.1 200 OK\r\nX-A:\t  padded \t\r\nX-Empty:\r\nContent-Length: 0\r\n\r\n", "GET", split, false).ok();
        assertEquals("padded", run.head.headers().first("X-A").orElseThrow());
        assertEquals("", run.head.headers().first("X-Empty").orElseThrow());
    }

    @ParameterizedTest
    @EnumSource(Split.class)
    void rejectsHeaderBlockOverTheLimit(Split split) {
        String big = "HTTP/1.1 200 OK\r\nX-Big: " + "a".repeat(200) + "\r\n\r\n";
        ParseRun run = ParseRun.of(big.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1), "GET", split, false, 128, false);
        assertError(run, "status line and headers larger than 128 bytes at byte 128");
    }

    @ParameterizedTest
    @EnumSource(Split.class)
    void acceptsHeaderBlockExactlyAtTheLimit(Split split) {
        String head = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nX-Pad: ";
        String tail = "\r\n\r\n";
        String exact = head + "p".repeat(128 - head.length() - tail.length()) + tail;
        assertEquals(128, exact.length());
        ParseRun.of(exact.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1), "GET", split, false, 128, false).ok();
    }

    @ParameterizedTest
    @EnumSource(Split.class)
    void rejectsMoreThanOneHundredHeaderFields(Split split) {
        StringBuilder sb = new StringBuilder("HTTP/1.1 200 OK\r\n");
        for (int i = 0; i < 100; i++) {
            sb.append("X-").append(i).append(": v\r\n");
        }
        ParseRun.of(sb + "\r\n", "HEAD", split, false).ok();
        assertError(ParseRun.of(sb + "X-100: v\r\n\r\n", "HEAD", split, false), "more than 100 header fields");
    }

    @ParameterizedTest
    @EnumSource(Split.class)
    void rejectsMalformedStatusLines(Split split) {
        for (String bad : new String[] {"HTTP/2 200 OK", "HTTP/1.1 2x0 OK", "HTTP/1.1 200OK", "ICY 200 OK", "HTTP/1.1 099 Low", "HTTP/1.1 20"}) {
            ParseRun run = ParseRun.of(bad + "\r\nContent-Length: 0\r\n\r\n", "GET", split, false);
            assertNotNull(run.error, bad);
            assertTrue(run.error.getMessage().contains("status"), run.error.getMessage());
        }
    }

    @ParameterizedTest
    @EnumSource(Split.class)
    void acceptsStatusLineWithoutReason(Split split) {
        ParseRun run = ParseRun.of("HTTP/1.1 200\r\nContent-Length: 0\r\n\r\n", "GET", split, false).ok();
        assertEquals("", run.head.reason());
        run = ParseRun.of("HTTP/1.1 200 \r\nContent-Length: 0\r\n\r\n", "GET", split, false).ok();
        assertEquals("", run.head.reason());
    }

    @ParameterizedTest
    @EnumSource(Split.class)
    void skipsInterimResponses(Split split) {
        ParseRun run = ParseRun.of("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a.css>\r\n\r\n"
                + "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", "POST", split, false).ok();
        assertEquals(200, run.head.status());
        assertFalse(run.head.headers().contains("Link"));
        assertEquals("ok", run.body());
    }

    @ParameterizedTest
    @EnumSource(Split.class)
    void rejectsEndlessInterimResponses(Split split) {
        String interim = "HTTP/1.1 100 Continue\r\n\r\n";
        ParseRun.of(interim.repeat(32) + "HTTP/1.1 204 No Content\r\n\r\n", "GET", split, false).ok();
        assertError(ParseRun.of(interim.repeat(33), "GET", split, false), "more than 32 interim (1xx) responses");
    }

    @ParameterizedTest
    @EnumSource(Split.class)
    void rejectsSwitchingProtocolsWithoutUpgradeRequest(Split split) {
        assertError(ParseRun.of("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n", "GET", split, false),
                "unexpected 101 Switching Protocols");
    }

    @ParameterizedTest
    @EnumSource(Split.class)
    void endsAtSwitchingProtocolsWhenUpgradeRequested(Split split) {
        byte[] bytes = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: x\r\n\r\nraw".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        ParseRun run = ParseRun.of(bytes, "GET", split, false, 16384, true).ok();
        assertEquals(101, run.head.status());
        assertEquals("raw", run.leftover());
        assertFalse(run.parser.reusable());
    }

    @ParameterizedTest
    @EnumSource(Split.class)
    void closeBeforeAnyByteIsReportedAsSuch(Split split) {
        ParseRun run = ParseRun.of("", "GET", split, true);
        assertError(run, "connection closed before any response byte");
        assertEquals(0, run.parser.position());
    }

    @ParameterizedTest
    @EnumSource(Split.class)
    void closeInsideTheHeadIsAnError(Split split) {
        assertError(ParseRun.of("HTTP/1.1 200 OK\r\nContent-Le", "GET", split, true), "connection closed inside the response head after 27 bytes");
    }

    @ParameterizedTest
    @EnumSource(Split.class)
    void connectionCloseEndsReuse(Split split) {
        ParseRun run = ParseRun.of("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n", "GET", split, false).ok();
        assertFalse(run.parser.reusable());
    }

    @ParameterizedTest
    @EnumSource(Split.class)
    void http10IsReusableOnlyWithKeepAlive(Split split) {
        assertFalse(ParseRun.of("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n", "GET", split, false).ok().parser.reusable());
        ParseRun run = ParseRun.of("HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nKeep-Alive: timeout=7, max=10\r\nContent-Length: 0\r\n\r\n",
                "GET", split, false).ok();
        assertEquals(HttpVersion.HTTP_1_0, run.head.version());
        assertTrue(run.parser.reusable());
        assertEquals(Duration.ofSeconds(7), run.head.keepAliveTimeout());
    }

    @ParameterizedTest
    @EnumSource(Split.class)
    void noKeepAliveTimeoutWhenAbsent(Split split) {
        assertNull(ParseRun.of("HTTP/1.1 204 No Content\r\n\r\n", "GET", split, false).ok().head.keepAliveTimeout());
    }

    @ParameterizedTest
    @EnumSource(Split.class)
    void parserIsReusableForTheNextExchange(Split split) {
        ParseRun first = ParseRun.of("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\na", "GET", split, false).ok();
        ParseRun second = new ParseRun();
        first.parser.expect("GET", false, second);
        try {
            first.parser.feed(java.nio.ByteBuffer.wrap("HTTP/1.1 404 Not Found\r\nContent-Length: 1\r\n\r\nb".getBytes()));
        } catch (HttpProtocolException e) {
            throw new AssertionError(e);
        }
        assertEquals(404, second.head.status());
        assertEquals("b", second.body());
        assertTrue(second.complete());
    }
}
