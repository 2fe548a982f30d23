package io.jnet.http;

import io.jnet.ErrorCode;
import io.jnet.NetException;
import io.jnet.Socket;
import io.jnet.LoopExecutor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;

/**
 * One request and its response on one {@link Connection}: writes the request, feeds the response
 * bytes to the parser, hands the head to the {@link Call} and the body to a {@link BodyStream}, and
 * at the end gives the connection back to the pool (reusable or not) or destroys it on failure.
 *
 * <p>Confined to the connection's loop thread from {@link #begin} on, except {@link #abort} and the
 * streaming of a request body, which run elsewhere and hand their effects to the loop.
 */
final class Exchange implements ResponseListener, BodyStream.Control {
    private enum State { WAITING_HEAD, READING_BODY, DONE, FAILED }

    private final Call call;
    private final HttpRequest request;
    private final boolean reused;
    private final boolean gunzip;
    private final Connection connection;
    private ResponseParser parser;
    private State state = State.WAITING_HEAD;
    private BodyStream body;
    private ResponseHead head;
    private boolean completed;
    private HttpHeaders trailers = HttpHeaders.empty();
    /** Every byte of the request has been handed to the socket (it may still sit in the socket's queue). */
    private volatile boolean requestIssued;
    /** The headers deadline, on the connection's loop; null until the request is out. */
    private LoopExecutor.Scheduled headersTimer;
    private HttpResponse pendingResponse;

    Exchange(Call call, HttpRequest request, Connection connection, boolean reused, boolean gunzip) {
        this.call = call;
        this.connection = connection;
        this.request = request;
        this.reused = reused;
        this.gunzip = gunzip;
    }

    /** Loop thread: sends the request. The parser is armed first, so no response byte can come too early. */
    void begin(ResponseParser p) {
        this.parser = p;
        if (call.future.isDone()) { // cancelled before it could start: send nothing
            fail(new HttpException(request + ": cancelled"));
            return;
        }
        Connection c = connection;
        HttpClient client = call.client;
        parser.expect(request.method(), request.headers().contains("Upgrade"), this);
        Socket socket = c.socket;
        ByteBuffer headBytes;
        try {
            headBytes = RequestWriter.head(request, client.defaultHeaders(request));
        } catch (IllegalArgumentException e) {
            fail(new HttpException("invalid request " + request + ": " + e.getMessage(), e));
            return;
        }
        // The headers timer starts once the whole request is out: an upload's own time is not the server's.
        HttpRequest.Body b = request.body();
        if (b instanceof HttpRequest.Body.Bytes bytes) {
            byte[] content = bytes.bytes();
            if (content.length <= RequestWriter.COALESCE_LIMIT) {
                socket.write(RequestWriter.withBody(headBytes, content), this::afterRequestWritten);
            } else {
                socket.write(headBytes);
                socket.write(ByteBuffer.wrap(content), this::afterRequestWritten);
            }
            requestIssued = true;
        } else if (b instanceof HttpRequest.Body.Stream stream) {
            socket.write(headBytes);
            try {
                client.executor().execute(() -> streamBody(socket, stream));
            } catch (RejectedExecutionException e) {
                fail(new HttpException(request + ": the HTTP client's executor refused to stream the request body: " + e, e));
            }
        } else {
            socket.write(headBytes, this::afterRequestWritten);
            requestIssued = true;
        }
    }

    /** Loop thread: the request is with the kernel. A failed write needs nothing here: the socket's ERROR does it. */
    private void afterRequestWritten(Throwable failed) {
        if (failed == null) {
            startHeadersTimer();
        }
    }

    /** Loop thread (a write callback): the whole head must arrive within the limit, however it trickles in. */
    private void startHeadersTimer() {
        Duration limit = call.client.headersTimeout();
        if (state != State.WAITING_HEAD || limit.isZero()) {
            return;
        }
        // The socket's own loop keeps the timer (we are on it): no shared queue, lock or thread hop per request.
        headersTimer = connection.socket.executor().schedule(() -> {
            if (state == State.WAITING_HEAD) {
                fail(new HeadersTimeoutException(limit, request.toString()));
            }
        }, limit);
    }

    private void cancelHeadersTimer() {
        if (headersTimer != null) {
            headersTimer.cancel();
        }
    }

    /** Off the loop: reads the caller's stream and sends it chunked, waiting for DRAIN when the socket says so. */
    private void streamBody(Socket socket, HttpRequest.Body.Stream stream) {
        byte[] buf = new byte[16 * 1024];
        try (InputStream in = openOffLoop(stream)) {
            int n;
            while ((n = in.read(buf)) > 0) {
                if (socket.isDestroyed()) {
                    return;
                }
                if (!socket.write(RequestWriter.chunk(buf, 0, n))) {
                    awaitDrain(socket);
                }
            }
            socket.write(RequestWriter.lastChunk(), this::afterRequestWritten);
            requestIssued = true;
        } catch (IOException | RuntimeException e) {
            HttpException failure = new HttpException("reading the request body of " + request + " failed: " + e.getMessage(), e);
            socket.executor().execute(() -> fail(failure));
        }
    }

    /** The caller's stream, opened only off the loop: an executor that runs tasks inline would bring us here on it. */
    private static InputStream openOffLoop(HttpRequest.Body.Stream stream) {
        LoopThreads.refuseBlocking("streaming a request body", "the client's executor must run tasks on threads of its own");
        return stream.stream().get();
    }

    private static void awaitDrain(Socket socket) throws IOException {
        CountDownLatch drained = new CountDownLatch(1);
        Runnable onDrain = drained::countDown;
        java.util.function.Consumer<Boolean> onClose = closed -> drained.countDown();
        socket.once(Socket.DRAIN, onDrain);
        socket.once(Socket.CLOSE, onClose);
        try {
            // DRAIN may have fired between the write and once(): the queue length tells.
            if (socket.writableLength() > 0 && !socket.isDestroyed()) {
                drained.await();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while sending the request body");
        } finally {
            // Both removed, or a long upload would pile up one listener per wait on this connection.
            socket.off(Socket.DRAIN, onDrain);
            socket.off(Socket.CLOSE, onClose);
        }
    }

    // ---- socket events (loop thread) -------------------------------------------------------------

    void onData(ByteBuffer chunk) {
        if (state != State.WAITING_HEAD && state != State.READING_BODY) {
            return;
        }
        try {
            parser.feed(chunk);
        } catch (HttpProtocolException e) {
            fail(e);
            return;
        }
        if (completed) {
            // Bytes after the response that no request asked for: the connection's framing is in doubt.
            finish(parser.reusable() && !chunk.hasRemaining());
            deliverResponse();
        } else if (pendingResponse != null) {
            // Handed over after this turn's reads, not after this one: the socket reads on while the
            // kernel has more, and a body that follows its head at once (a 64 KiB body never fits one
            // read with its head) is then complete, so the caller wakes once instead of twice.
            connection.socket.executor().execute(this::deliverResponse);
        }
    }

    void onEnd() {
        if (state != State.WAITING_HEAD && state != State.READING_BODY) {
            return;
        }
        try {
            parser.endOfInput();
        } catch (HttpProtocolException e) {
            fail(e);
            return;
        }
        if (completed) {
            finish(false);
        }
        deliverResponse();
    }

    void onTimeout() {
        // While we hold the socket paused the silence is ours, not the server's.
        if (state == State.READING_BODY && !connection.socket.isPaused()) {
            fail(new BodyIdleTimeoutException(call.client.bodyIdleTimeout(), request.toString()));
        }
    }

    void onError(Throwable t) {
        if (state == State.DONE || state == State.FAILED) {
            return;
        }
        if (t instanceof NetException ne && ne.code() == ErrorCode.ETIMEDOUT && !connection.connected()) {
            fail(new ConnectTimeoutException(call.client.connectTimeout(), request + " to " + connection.origin));
        } else {
            fail(new HttpException(request + ": " + t.getMessage(), t));
        }
    }

    void onClose() {
        if (state == State.WAITING_HEAD || state == State.READING_BODY) {
            fail(new HttpException(request + ": connection closed"
                    + (state == State.WAITING_HEAD ? " before the response" : " during the response body")));
        }
    }

    /** Any thread: the caller gave up (cancelled the future). */
    void abort() {
        connection.socket.executor().execute(() -> {
            if (state == State.WAITING_HEAD || state == State.READING_BODY) {
                fail(new HttpException(request + ": cancelled"));
            }
        });
    }

    // ---- parser events (loop thread) -------------------------------------------------------------

    @Override
    public void onHead(ResponseHead h) {
        head = h;
        state = State.READING_BODY;
        cancelHeadersTimer();
        connection.socket.setTimeout(call.client.bodyIdleTimeout());
        body = new BodyStream(this, parser.bodyLength());
        HttpHeaders headers = h.headers();
        InputStream stream = body;
        if (gunzip && hasBody(h) && headers.first("Content-Encoding").map(v -> v.trim().equalsIgnoreCase("gzip")).orElse(false)) {
            stream = new Gunzip(body);
            headers = headers.toBuilder().remove("Content-Encoding").remove("Content-Length").build();
        }
        // Handed over once this read is processed: if the body completes in the same read, the
        // connection is back in the pool before the caller can send the next request.
        pendingResponse = new HttpResponse(request, h.version(), h.status(), h.reason(), headers, body, stream);
    }

    private void deliverResponse() {
        HttpResponse r = pendingResponse;
        if (r != null) {
            pendingResponse = null;
            call.onResponse(r);
        }
    }

    private boolean hasBody(ResponseHead h) {
        return !request.method().equals("HEAD") && h.status() >= 200 && h.status() != 204 && h.status() != 304;
    }

    @Override
    public void onBody(ByteBuffer slice) {
        body.offer(slice);
    }

    @Override
    public void onComplete(HttpHeaders t) {
        trailers = t;
        completed = true;
    }

    /** The response is complete: the connection goes back to the pool before the reader can see the end. */
    private void finish(boolean reusable) {
        state = State.DONE;
        connection.socket.setTimeout(Duration.ZERO);
        // A request still (partly) queued when its response is complete would leak into the next exchange.
        boolean keep = reusable && requestIssued && connection.socket.writableLength() == 0
                && !request.headers().containsToken("Connection", "close");
        connection.detach();
        call.client.pool().release(connection.origin, connection, keep, head.keepAliveTimeout());
        body.finish(trailers);
    }

    private void fail(HttpException e) {
        if (state == State.DONE || state == State.FAILED) {
            return; // over already; the connection may be serving another exchange by now
        }
        State was = state;
        state = State.FAILED;
        cancelHeadersTimer();
        connection.detach();
        connection.destroy();
        call.client.pool().release(connection.origin, connection, false, null);
        if (was == State.WAITING_HEAD) {
            // A reused connection that died before the first response byte (or before the exchange could
            // even start on it) most likely raced the server's idle close: the request may go again.
            boolean retryable = reused && (parser == null || parser.position() == 0) && request.isIdempotent()
                    && !(e instanceof HttpTimeoutException);
            call.onFailure(e, retryable);
        } else if (body != null) {
            body.fail(e);
            deliverResponse(); // a head parsed in the failing read: the caller still gets it, and the error on reading
        }
    }

    // ---- BodyStream.Control (reader's thread) ----------------------------------------------------

    @Override
    public void pause() {
        connection.socket.pause();
    }

    @Override
    public void resume() {
        Socket socket = connection.socket;
        socket.resume();
        // Re-arm the body-idle timer: the silence while we held the socket paused was ours. On the
        // loop, and only while this exchange still reads, since the connection may have moved on.
        socket.executor().execute(() -> {
            if (state == State.READING_BODY) {
                socket.setTimeout(call.client.bodyIdleTimeout());
            }
        });
    }

    @Override
    public void abandon() {
        connection.socket.executor().execute(() -> {
            if (state == State.READING_BODY) {
                fail(new HttpException(request + ": response body abandoned before its end"));
            }
        });
    }
}
