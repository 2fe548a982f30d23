package io.jnet.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** RFC 9112 §6.3 message length and the three body framings; every case in every {@link Split}. */
class MessageLengthTest {

    private static void assertError(ParseRun run, String fragment) {
        assertNotNull(run.error, "expected an error containing \"" + fragment + "\"");
        assertTrue(run.error.getMessage().contains(fragment), () -> "message was: " + run.error.getMessage());
        assertEquals(0, run.completions);
    }

    @ParameterizedTest
    @EnumSource(Split.class)
    void noBodyForHeadWhateverTheHeadersSay(Split split) {
        ParseRun run = ParseRun.of("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nNEXT", "HEAD", split, false).ok();
        assertEquals("", run.body());
        assertEquals("NEXT", run.leftover());
        assertTrue(run.parser.reusable());
        run = ParseRun.of("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", "HEAD", split, false).ok();
        assertTrue(run.complete());
    }

    @ParameterizedTest
    @EnumSource(Split.class)
    void noBodyFor204And304(Split split) {
        for (String status : new String[] {"204 No Content", "304 Not Modified"}) {
            ParseRun run = ParseRun.of("HTTP/1.1 " + status + "\r\nContent-Length: 10\r\n\r\nNEXT", "GET", split, false).ok();
            assertTrue(run.complete());
            assertEquals("", run.body());
            assertEquals("NEXT", run.leftover());
        }
    }

    @ParameterizedTest
    @EnumSource(Split.class)
    void readsChunkedBodyWithExtensionsAndTrailers(Split split) {
        ParseRun run = ParseRun.of("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5;name=value\r\nhello\r\n"
                + "A \t;ext\r\n, chunked!\r\n"
                + "0\r\nX-Checksum: abc\r\nX-Other: 1\r\n\r\nNEXT", "GET", split, false).ok();
        assertEquals("hello, chunked!", run.body());
        assertEquals("abc", run.trailers.first("x-checksum").orElseThrow());
        assertEquals(2, run.trailers.size());
        assertEquals("NEXT", run.leftover());
        assertTrue(run.parser.reusable());
    }

    @ParameterizedTest
    @EnumSource(Split.class)
    void chunkSizeHexIsCaseInsensitive(Split split) {
        String body = "x".repeat(0xab);
        ParseRun run = ParseRun.of("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\naB\r\n" + body + "\r\n0\r\n\r\n", "GET", split, false).ok();
        assertEquals(body, run.body());
    }

    @ParameterizedTest
    @EnumSource(Split.class)
    void chunkedAcceptsBareLf(Split split) {
        ParseRun run = ParseRun.of("HTTP/1.1 200 OK\nTransfer-Encoding: chunked\n\n3\nabc\n0\n\n", "GET", split, false).ok();
        assertEquals("abc", run.body());
        assertTrue(run.complete());
    }

    @ParameterizedTest
    @EnumSource(Split.class)
    void rejectsInvalidChunkSizeQuotingItAndItsOffset(Split split) {
        String head = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
        ParseRun run = ParseRun.of(head + "zz\r\n", "GET", split, false);
        assertError(run, "invalid chunk size \"zz\" at byte " + head.length());
    }

    @ParameterizedTest
    @EnumSource(Split.class)
    void rejectsChunkSizeWithoutDigits(Split split) {
        assertError(ParseRun.of("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n;ext\r\n", "GET", split, false), "invalid chunk size \";ext\"");
        assertError(ParseRun.of("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n\r\n", "GET", split, false), "invalid chunk size \"\"");
        assertError(ParseRun.of("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n-1\r\n", "GET", split, false), "invalid chunk size \"-1\"");
        assertError(ParseRun.of("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5x\r\n", "GET", split, false), "invalid chunk size \"5x\"");
    }

    @ParameterizedTest
    @EnumSource(Split.class)
    void rejectsOverflowingChunkSize(Split split) {
        assertError(ParseRun.of("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n10000000000000000\r\n", "GET", split, false),
                "chunk size \"10000000000000000\" overflows");
    }

    @ParameterizedTest
    @EnumSource(Split.class)
    void rejectsMissingCrlfAfterChunkData(Split split) {
        assertError(ParseRun.of("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcX\r\n0\r\n\r\n", "GET", split, false),
                "expected CRLF after chunk data");
    }

    @ParameterizedTest
    @EnumSource(Split.class)
    void rejectsEndOfInputInsideChunkedBody(Split split) {
        assertError(ParseRun.of("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel", "GET", split, true),
                "connection closed inside a chunked body (reading data, 2 bytes of the chunk still due)");
    }

    @ParameterizedTest
    @EnumSource(Split.class)
    void transferEncodingWinsOverContentLengthAndEndsReuse(Split split) {
        ParseRun run = ParseRun.of("HTTP/1.1 200 OK\r\nContent-Length: 100\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n",
                "GET", split, false).ok();
        assertEquals("ok", run.body());
        assertTrue(run.complete());
        assertFalse(run.parser.reusable());
    }

    @ParameterizedTest
    @EnumSource(Split.class)
    void transferEncodingNotEndingInChunkedReadsUntilClose(Split split) {
        ParseRun run = ParseRun.of("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, gzip\r\n\r\nraw bytes", "GET", split, false).ok();
        assertEquals(0, run.completions);
        assertEquals("raw bytes", run.body());
        run = ParseRun.of("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\nraw bytes", "GET", split, true).ok();
        assertTrue(run.complete());
        assertEquals("raw bytes", run.body());
        assertFalse(run.parser.reusable());
    }

    @ParameterizedTest
    @EnumSource(Split.class)
    void transferEncodingAcrossSeveralFieldsUsesTheLastCoding(Split split) {
        ParseRun run = ParseRun.of("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\nTransfer-Encoding: Chunked\r\n\r\n1\r\nz\r\n0\r\n\r\n",
                "GET", split, false).ok();
        assertEquals("z", run.body());
    }

    @ParameterizedTest
    @EnumSource(Split.class)
    void rejectsChunkedAppliedTwice(Split split) {
        assertError(ParseRun.of("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, chunked\r\n\r\n", "GET", split, false), "chunked applied more than once");
    }

    @ParameterizedTest
    @EnumSource(Split.class)
    void equalContentLengthsCountOnce(Split split) {
        ParseRun run = ParseRun.of("HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Length: 3, 3\r\n\r\nabcNEXT", "GET", split, false).ok();
        assertEquals("abc", run.body());
        assertEquals("NEXT", run.leftover());
    }

    @ParameterizedTest
    @EnumSource(Split.class)
    void rejectsConflictingContentLengths(Split split) {
        assertError(ParseRun.of("HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd", "GET", split, false),
                "conflicting Content-Length values \"3\", \"4\"");
        assertError(ParseRun.of("HTTP/1.1 200 OK\r\nContent-Length: 3, 4\r\n\r\nabcd", "GET", split, false), "conflicting Content-Length");
    }

    @ParameterizedTest
    @EnumSource(Split.class)
    void rejectsInvalidContentLengths(Split split) {
        for (String bad : new String[] {"-1", "+5", "0x10", "1 2", "abc", "", "99999999999999999999"}) {
            assertError(ParseRun.of("HTTP/1.1 200 OK\r\nContent-Length: " + bad + "\r\n\r\n", "GET", split, false), "invalid Content-Length");
        }
    }

    @ParameterizedTest
    @EnumSource(Split.class)
    void rejectsBodyShorterThanContentLength(Split split) {
        ParseRun run = ParseRun.of("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc", "GET", split, true);
        assertError(run, "connection closed after 3 of 10 body bytes (Content-Length) at byte 42"); // 39 bytes of head + 3 of body
    }

    @ParameterizedTest
    @EnumSource(Split.class)
    void bodyWithoutLengthRunsUntilCloseAndEndsReuse(Split split) {
        ParseRun run = ParseRun.of("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nall of it\r\n\r\nstill body", "GET", split, false).ok();
        assertEquals(0, run.completions);
        assertEquals("all of it\r\n\r\nstill body", run.body());
        run = ParseRun.of("HTTP/1.1 200 OK\r\n\r\nall", "GET", split, true).ok();
        assertTrue(run.complete());
        assertFalse(run.parser.reusable());
    }

    @ParameterizedTest
    @EnumSource(Split.class)
    void zeroContentLengthCompletesAtTheEmptyLine(Split split) {
        ParseRun run = ParseRun.of("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", "GET", split, false).ok();
        assertTrue(run.complete());
        assertTrue(run.parser.reusable());
    }

    @ParameterizedTest
    @EnumSource(Split.class)
    void rejectsTrailersOverTheLimit(Split split) {
        String trailers = "X-T: " + "t".repeat(200) + "\r\n";
        byte[] bytes = ("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n" + trailers + "\r\n")
                .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        ParseRun run = ParseRun.of(bytes, "GET", split, false, 128, false);
        assertError(run, "trailer section larger than 128 bytes");
    }

    @ParameterizedTest
    @EnumSource(Split.class)
    void rejectsBadTrailerLine(Split split) {
        assertError(ParseRun.of("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nBad Name: x\r\n\r\n", "GET", split, false),
                "whitespace between header name and colon");
    }

    @ParameterizedTest
    @EnumSource(Split.class)
    void bodySlicesShareTheInputWithoutCopying(Split split) {
        java.util.List<java.nio.ByteBuffer> slices = new java.util.ArrayList<>();
        java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap("HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nbody".getBytes());
        ResponseParser parser = new ResponseParser(16384, 100);
        parser.expect("GET", false, new ResponseListener() {
            @Override public void onHead(ResponseHead head) { }
            @Override public void onBody(java.nio.ByteBuffer slice) { slices.add(slice); }
            @Override public void onComplete(HttpHeaders trailers) { }
        });
        try {
            parser.feed(in);
        } catch (HttpProtocolException e) {
            throw new AssertionError(e);
        }
        assertEquals(1, slices.size());
        assertTrue(slices.get(0).hasArray());
        assertTrue(slices.get(0).array() == in.array(), "the slice is a view of the input, not a copy");
    }
}
