package io.jnet.http;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Feeds a scripted response to a {@link ResponseParser} in a chosen split and records what it reports. */
final class ParseRun implements ResponseListener {
    ResponseHead head;
    final ByteArrayOutputStream body = new ByteArrayOutputStream();
    HttpHeaders trailers;
    int completions;
    final ByteArrayOutputStream leftover = new ByteArrayOutputStream();
    HttpProtocolException error;
    ResponseParser parser;

    /** Parses {@code response} (ISO-8859-1 text) to a request with {@code method}; {@code eof} closes the input after it. */
    static ParseRun of(String response, String method, Split split, boolean eof) {
        return of(response.getBytes(StandardCharsets.ISO_8859_1), method, split, eof, ResponseParser.DEFAULT_MAX_HEADER_SIZE, false);
    }

    static ParseRun of(byte[] response, String method, Split split, boolean eof, int maxHeaderSize, boolean upgrade) {
        ParseRun run = new ParseRun();
        run.parser = new ResponseParser(maxHeaderSize, ResponseParser.DEFAULT_MAX_HEADER_FIELDS);
        run.parser.expect(method, upgrade, run);
        try {
            for (byte[] part : split.cut(response, response.length * 31L + 7)) {
                ByteBuffer in = ByteBuffer.wrap(part);
                if (run.parser.state() != ResponseParser.State.DONE) {
                    run.parser.feed(in);
                }
                run.leftover.write(part, in.position(), in.remaining());
            }
            if (eof) {
                run.parser.endOfInput();
            }
        } catch (HttpProtocolException e) {
            run.error = e;
        }
        return run;
    }

    @Override
    public void onHead(ResponseHead h) {
        if (head != null) {
            throw new AssertionError("second head");
        }
        head = h;
    }

    @Override
    public void onBody(ByteBuffer slice) {
        byte[] b = new byte[slice.remaining()];
        slice.get(b);
        body.write(b, 0, b.length);
    }

    @Override
    public void onComplete(HttpHeaders t) {
        trailers = t;
        completions++;
    }

    String body() {
        return body.toString(StandardCharsets.ISO_8859_1);
    }

    String leftover() {
        return leftover.toString(StandardCharsets.ISO_8859_1);
    }

    boolean complete() {
        return completions == 1 && error == null;
    }

    /** Fails the test with the parser's own error if it reported one. */
    ParseRun ok() {
        if (error != null) {
            throw new AssertionError("unexpected protocol error: " + error.getMessage(), error);
        }
        return this;
    }
}
