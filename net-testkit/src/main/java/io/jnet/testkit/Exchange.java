package io.jnet.testkit;

import io.jnet.Socket;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One connection of {@link ScriptedHttpServer}: frames its requests, answers them one at a time in
 * order with the script's responses, each in its steps (headers delay, head, body delay, body, then the
 * connection action). Every step runs on the socket's loop thread; delays wait on the server's timer
 * and hop back to the loop, so the state here needs no lock.
 */
final class Exchange {
    private enum State { IDLE, RESPONDING, DONE }

    private final Socket socket;
    private final int index;
    private final ScheduledExecutorService timer;
    private final ScriptedHttpServer server;
    private final RequestReader reader;
    private final ArrayDeque<RecordedRequest> waiting = new ArrayDeque<>();
    private State state = State.IDLE;

    Exchange(Socket socket, int index, ScheduledExecutorService timer, ScriptedHttpServer server) {
        this.socket = socket;
        this.index = index;
        this.timer = timer;
        this.server = server;
        this.reader = new RequestReader(index);
    }

    void start() {
        socket.setNoDelay(true);
        // A client that resets or vanishes is a normal event for a test server, not a failure of its script.
        socket.on(Socket.ERROR, e -> { });
        socket.on(Socket.DATA, this::onData);
    }

    private void onData(ByteBuffer chunk) {
        // Requests after the script ended our side are still recorded (a half-closed server still reads).
        List<RecordedRequest> complete;
        try {
            complete = reader.feed(chunk);
        } catch (IllegalArgumentException e) {
            server.failed("connection " + index + ": " + e.getMessage());
            state = State.DONE;
            waiting.clear();
            socket.destroy();
            return;
        }
        for (RecordedRequest r : complete) {
            server.received(r);
            waiting.add(r);
        }
        answerNext();
    }

    private void answerNext() {
        if (state != State.IDLE || waiting.isEmpty()) {
            return;
        }
        waiting.poll();
        state = State.RESPONDING;
        ScriptedResponse response = server.nextResponse();
        later(response.headersDelay(), () -> {
            if (!response.responds()) {
                finish(response);
                return;
            }
            byte[] head = response.head();
            byte[] body = response.wireBody();
            if (response.bodyDelay().isZero()) {
                send(concat(head, body), response, () -> finish(response));
            } else {
                send(head, response, () -> later(response.bodyDelay(), () -> send(body, response, () -> finish(response))));
            }
        });
    }

    /** Writes {@code bytes} cut as the response asks, then runs {@code then} on the loop once all are handed to the kernel. */
    private void send(byte[] bytes, ScriptedResponse response, Runnable then) {
        List<byte[]> pieces = cut(bytes, response);
        if (pieces.isEmpty()) {
            then.run();
            return;
        }
        sendFrom(pieces, 0, response.writeGap(), then);
    }

    private void sendFrom(List<byte[]> pieces, int i, Duration gap, Runnable then) {
        if (socket.isDestroyed()) {
            return; // the client went away; the test sees that on its side
        }
        boolean last = i == pieces.size() - 1;
        socket.write(ByteBuffer.wrap(pieces.get(i)), last ? written -> then.run() : written -> {
            if (gap.isZero()) {
                // Through the loop's queue rather than straight on: a response of many pieces must not nest
                // one call per byte.
                socket.executor().execute(() -> sendFrom(pieces, i + 1, gap, then));
            } else {
                later(gap, () -> sendFrom(pieces, i + 1, gap, then));
            }
        });
    }

    private void finish(ScriptedResponse response) {
        switch (response.after()) {
            case KEEP_OPEN -> {
                if (response.responds()) {
                    state = State.IDLE;
                    answerNext();
                }
                // noResponse(): the connection hangs, as scripted; later requests stay unanswered.
            }
            case END -> {
                state = State.DONE;
                socket.end();
            }
            case DESTROY -> {
                state = State.DONE;
                socket.destroy();
            }
            case RESET -> {
                state = State.DONE;
                String why = Reset.abort(socket);
                if (why != null) {
                    server.failed("connection " + index + ": closed without the scripted RST (" + why + ")");
                }
            }
        }
    }

    /** Runs {@code step} on the loop after {@code delay} (at once, on the loop, when zero). */
    private void later(Duration delay, Runnable step) {
        if (delay.isZero()) {
            step.run();
            return;
        }
        try {
            timer.schedule(() -> socket.executor().execute(step), delay.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException closing) {
            // The server is closing; its connections are being destroyed.
        }
    }

    private static List<byte[]> cut(byte[] bytes, ScriptedResponse response) {
        List<byte[]> parts = new ArrayList<>();
        int per = response.bytesPerWrite();
        if (bytes.length == 0) {
            return parts;
        }
        if (per == 0) {
            parts.add(bytes);
            return parts;
        }
        Random random = new Random(response.randomSeed());
        for (int i = 0; i < bytes.length; ) {
            int n = Math.min(bytes.length - i, per > 0 ? per : 1 + random.nextInt(12));
            parts.add(Arrays.copyOfRange(bytes, i, i + n));
            i += n;
        }
        return parts;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
