package io.jnet.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jnet.testkit.ScriptedHttpServer;
import io.jnet.testkit.ScriptedResponse;
import io.jnet.testkit.ScriptedResponse.After;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every response rule once more over a real socket: the scripted server writes the exact bytes all at
 * once, one byte per write, and in random cuts; the client must give the same answer each time. A
 * rule's expectation is either the body (and whether the connection was reused) or the error.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class WireRulesTest {

    /** A response and what the client must make of it. Exactly one of body and error is set. */
    record Rule(String name, String method, String response, boolean closeAfter, String body, Boolean reusable, String error) {
        static Rule ok(String name, String response, String body, boolean reusable) {
            return new Rule(name, "GET", response, false, body, reusable, null);
        }

        static Rule fails(String name, String response, String error) {
            return new Rule(name, "GET", response, false, null, null, error);
        }

        Rule closing() {
            return new Rule(name, method, response, true, body, reusable, error);
        }

        Rule method(String m) {
            return new Rule(name, m, response, closeAfter, body, reusable, error);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Arguments> rules() {
        List<Rule> rules = List.of(
                Rule.ok("fixed length", "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello", "hello", true),
                Rule.ok("chunked with extension and trailer",
                        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3;x=y\r\nabc\r\n0\r\nT: 1\r\n\r\n", "abc", true),
                Rule.ok("interim responses skipped",
                        "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: <x>\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", "ok", true),
                Rule.ok("HEAD has no body", "HTTP/1.1 200 OK\r\nContent-Length: 99\r\n\r\n", "", true).method("HEAD"),
                Rule.ok("204 has no body", "HTTP/1.1 204 No Content\r\nContent-Length: 99\r\n\r\n", "", true),
                Rule.ok("304 has no body", "HTTP/1.1 304 Not Modified\r\nTransfer-Encoding: chunked\r\n\r\n", "", true),
                Rule.ok("TE and CL: chunked wins, not reused",
                        "HTTP/1.1 200 OK\r\nContent-Length: 50\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nte\r\n0\r\n\r\n", "te", false),
                Rule.ok("TE not ending in chunked: until close", "HTTP/1.1 200 OK\r\nTransfer-Encoding: x-custom\r\n\r\nraw", "raw", false).closing(),
                Rule.ok("equal Content-Lengths", "HTTP/1.1 200 OK\r\nContent-Length: 2, 2\r\nContent-Length: 2\r\n\r\nok", "ok", true),
                Rule.ok("no length: until close", "HTTP/1.1 200 OK\r\n\r\nto the end", "to the end", false).closing(),
                Rule.ok("bare LF accepted", "HTTP/1.1 200 OK\nContent-Length: 2\n\nlf", "lf", true),
                Rule.ok("obs-fold becomes a space", "HTTP/1.1 200 OK\r\nX: a\r\n b\r\nContent-Length: 0\r\n\r\n", "", true),
                Rule.ok("HTTP/1.0 without keep-alive not reused", "HTTP/1.0 200 OK\r\nContent-Length: 1\r\n\r\nx", "x", false).closing(),
                Rule.ok("Connection: close not reused", "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 1\r\n\r\nx", "x", false).closing(),
                Rule.fails("101 without upgrade", "HTTP/1.1 101 Switching Protocols\r\nUpgrade: h2c\r\n\r\n", "unexpected 101"),
                Rule.fails("conflicting Content-Length", "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab", "conflicting Content-Length"),
                Rule.fails("negative Content-Length", "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n", "invalid Content-Length \"-1\""),
                Rule.fails("overflowing Content-Length", "HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999\r\n\r\n", "invalid Content-Length"),
                Rule.fails("invalid chunk size", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", "invalid chunk size \"zz\" at byte 47"),
                Rule.fails("chunk size overflow", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nfffffffffffffffff\r\n", "overflows"),
                Rule.fails("whitespace before colon", "HTTP/1.1 200 OK\r\nContent-Length : 0\r\n\r\n", "whitespace between header name and colon"),
                Rule.fails("bare CR", "HTTP/1.1 200 OK\rContent-Length: 0\r\n\r\n", "bare CR"),
                Rule.fails("NUL in header", "HTTP/1.1 200 OK\r\nX: a\0\r\nContent-Length: 0\r\n\r\n", "NUL byte"),
                Rule.fails("header block too large", "HTTP/1.1 200 OK\r\nX: " + "a".repeat(17_000) + "\r\n\r\n", "larger than 16384 bytes"),
                Rule.fails("too many fields", "HTTP/1.1 200 OK\r\n" + "X: 1\r\n".repeat(101) + "\r\n", "more than 100 header fields"),
                Rule.fails("short body", "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort", "after 5 of 10 body bytes").closing(),
                Rule.fails("Content-Length of 19 digits", "HTTP/1.1 200 OK\r\nContent-Length: 9223372036854775000\r\n\r\nabc",
                        "invalid Content-Length \"9223372036854775000\"").closing(),
                Rule.fails("huge Content-Length cut short", "HTTP/1.1 200 OK\r\nContent-Length: 999999999999999999\r\n\r\nabc",
                        "after 3 of 999999999999999999 body bytes").closing(),
                Rule.fails("huge chunk size cut short", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n7fffffffffffffff\r\nabc",
                        "inside a chunked body (reading data, 9223372036854775804 bytes of the chunk still due)").closing(),
                Rule.fails("chunked body cut short", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab", "inside a chunked body").closing());
        List<Arguments> out = new ArrayList<>();
        for (Rule r : rules) {
            for (Split s : Split.values()) {
                out.add(Arguments.of(r, s));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} / {1}")
    @MethodSource("rules")
    void clientFollowsTheRuleInEverySplit(Rule rule, Split split) throws Exception {
        try (ScriptedHttpServer server = ScriptedHttpServer.tcp().start(); HttpClient client = HttpClient.builder().gzip(false).build()) {
            ScriptedResponse reply = split.applyTo(ScriptedResponse.raw(rule.response()));
            server.enqueue(rule.closeAfter() ? reply.then(After.END) : reply);
            URI uri = server.url("/rule");
            HttpRequest request = HttpRequest.builder(uri).method(rule.method()).build();
            if (rule.error() != null) {
                IOException e = assertThrows(IOException.class, () -> {
                    try (HttpResponse response = client.send(request)) {
                        response.bodyBytes();
                    }
                });
                Throwable protocol = e instanceof HttpProtocolException ? e : e.getCause();
                assertTrue(protocol instanceof HttpProtocolException, () -> "expected a protocol error but got " + e);
                assertTrue(protocol.getMessage().contains(rule.error()), protocol.getMessage());
            } else {
                try (HttpResponse response = client.send(request)) {
                    assertEquals(rule.body(), response.bodyString());
                }
            }
            // A follow-up request tells whether the connection was reused; never after an error.
            client.send(HttpRequest.builder(uri).build()).close();
            int expected = rule.error() == null && rule.reusable() ? 1 : 2;
            assertEquals(expected, server.connectionCount(), "connections opened");
        }
    }
}
