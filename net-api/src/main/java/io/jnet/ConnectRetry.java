package io.jnet;

import io.jnet.internal.KeepAlive;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * {@link Net#connectAsync}: one fresh socket per attempt, made and connected the ordinary way, so the
 * socket core knows nothing of retries; the waits between attempts run on the JDK's shared delayer.
 */
final class ConnectRetry {
    private final Endpoint endpoint;
    private final ConnectOptions options;
    private final CompletableFuture<Socket> result = new CompletableFuture<>();
    private final long startNanos = System.nanoTime();
    private long backoffNanos;
    /** Touched by one attempt at a time (each starts after the previous one failed). */
    private int attempts;
    /** The attempt's socket, destroyed if the caller cancels the future while it connects. */
    private volatile Socket current;

    private ConnectRetry(Endpoint endpoint, ConnectOptions options) {
        this.endpoint = endpoint;
        this.options = options;
        this.backoffNanos = options.retry().backoff().toNanos();
    }

    static CompletableFuture<Socket> start(Endpoint endpoint, ConnectOptions options) {
        ConnectRetry retry = new ConnectRetry(endpoint, options);
        retry.result.whenComplete((socket, error) -> {
            if (retry.result.isCancelled()) {
                retry.abortCurrent();
            }
        });
        retry.attempt();
        return retry.result;
    }

    /** Nobody listens yet: the only failures worth another attempt. */
    static boolean isRetryable(Throwable error) {
        return error instanceof NetException e && (e.code() == ErrorCode.ENOENT || e.code() == ErrorCode.ECONNREFUSED);
    }

    private void attempt() {
        if (result.isDone()) {
            return; // cancelled by the caller while we waited
        }
        attempts++;
        Socket socket;
        try {
            socket = Net.socket(endpoint, options);
        } catch (RuntimeException e) {
            result.completeExceptionally(e);
            return;
        }
        // The outcome comes from connected(), which completes once whatever ends the attempt (an error,
        // a destroy, a timeout); the ERROR listener only keeps a failed attempt out of the log.
        Consumer<Throwable> quiet = error -> { };
        socket.once(Socket.ERROR, quiet);
        socket.connected().whenComplete((connected, error) -> {
            if (error != null) {
                failed(error);
                return;
            }
            socket.off(Socket.ERROR, quiet); // from now on its errors are the caller's
            if (!result.complete(socket)) {
                socket.destroy(); // the caller gave up meanwhile
            }
        });
        current = socket;
        socket.connect();
        if (result.isCancelled()) {
            abortCurrent(); // cancelled between the check above and current being set
        }
    }

    /** Node's words for a cancelled connect: the socket is destroyed with ABORT_ERR. */
    private void abortCurrent() {
        Socket socket = current;
        if (socket != null) {
            socket.destroy(new NetException(ErrorCode.ABORT_ERR, "The operation was aborted"));
        }
    }

    private void failed(Throwable error) {
        if (result.isDone()) {
            return;
        }
        ConnectOptions.Retry retry = options.retry();
        long elapsed = System.nanoTime() - startNanos;
        long left = retry.maxWait().toNanos() - elapsed;
        if (!retry.enabled() || !isRetryable(error)) {
            result.completeExceptionally(attempts == 1 ? error : giveUp(error, elapsed, "not retried"));
            return;
        }
        if (left <= 0) {
            result.completeExceptionally(giveUp(error, elapsed, "deadline of " + retry.maxWait().toMillis() + " ms passed"));
            return;
        }
        long wait = Math.min(backoffNanos, left);
        backoffNanos = Math.min(backoffNanos * 2, retry.maxBackoff().toNanos());
        // Between attempts no socket holds the JVM, and the delayer's thread is a daemon: hold it here,
        // or a main() that waits on nothing else would exit with the future never completed.
        KeepAlive.acquire();
        CompletableFuture.delayedExecutor(wait, TimeUnit.NANOSECONDS).execute(() -> {
            try {
                attempt();
            } finally {
                KeepAlive.release(); // attempt() made a socket, which holds the JVM itself, or completed
            }
        });
    }

    private NetException giveUp(Throwable last, long elapsedNanos, String why) {
        ErrorCode code = last instanceof NetException e ? e.code() : ErrorCode.EIO;
        return new NetException(code, "connect", endpoint.toString(), "gave up after " + attempts + " attempts in "
                + TimeUnit.NANOSECONDS.toMillis(elapsedNanos) + " ms (" + why + "); the last: " + last.getMessage(), last);
    }
}
