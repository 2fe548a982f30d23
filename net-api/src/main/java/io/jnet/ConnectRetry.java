package io.jnet;

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
        Consumer<Throwable> onError = this::failed;
        socket.once(Socket.ERROR, onError);
        socket.once(Socket.CONNECT, () -> {
            socket.off(Socket.ERROR, onError); // from now on its errors are the caller's
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
        CompletableFuture.delayedExecutor(wait, TimeUnit.NANOSECONDS).execute(this::attempt);
    }

    private NetException giveUp(Throwable last, long elapsedNanos, String why) {
        ErrorCode code = last instanceof NetException e ? e.code() : ErrorCode.EIO;
        return new NetException(code, "connect", endpoint.toString(), "gave up after " + attempts + " attempts in "
                + TimeUnit.NANOSECONDS.toMillis(elapsedNanos) + " ms (" + why + "); the last: " + last.getMessage(), last);
    }
}
