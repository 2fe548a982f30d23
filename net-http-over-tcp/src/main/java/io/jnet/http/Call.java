package io.jnet.http;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;

/**
 * One {@code send}/{@code sendAsync} from the caller's point of view: acquires a connection, runs an
 * {@link Exchange} on it, retries once on a fresh connection when a reused one died before any
 * response byte, follows redirects when asked, and completes the caller's future. For {@code sendAsync}
 * that happens on the client's executor, never on a loop thread, so a caller that blocks in a callback
 * chained to the future cannot stall I/O. For a blocking {@code send}, whose future nobody else sees,
 * the loop completes it itself: that only wakes the caller, and saves a thread hand-off per request.
 * Cancelling the future destroys the connection in use.
 */
final class Call {
    private static final int MAX_REDIRECTS = 20;

    final HttpClient client;
    final CompletableFuture<HttpResponse> future = new CompletableFuture<>();
    /** The future is only waited on by a blocked {@code send}: no caller code runs where it completes. */
    private final boolean privateFuture;
    private volatile HttpRequest request;
    private volatile Exchange exchange;
    private volatile CompletableFuture<ConnectionPool.Grant<Connection>> pending;
    private boolean retried;
    private int redirects;

    Call(HttpClient client, HttpRequest request, boolean privateFuture) {
        this.client = client;
        this.request = request;
        this.privateFuture = privateFuture;
        future.whenComplete((r, e) -> {
            if (e instanceof CancellationException) {
                CompletableFuture<?> p = pending;
                if (p != null) {
                    p.cancel(false);
                }
                Exchange x = exchange;
                if (x != null) {
                    x.abort();
                }
            }
        });
    }

    /** Starts (or, for a retry or redirect, restarts) the call. */
    void start(boolean allowReuse) {
        HttpRequest req = request;
        Origin origin = Origin.of(req.uri(), client.socketPath());
        CompletableFuture<ConnectionPool.Grant<Connection>> p;
        try {
            p = client.pool().acquire(origin, allowReuse);
        } catch (RuntimeException e) { // no transport for the endpoint (net-ipc missing for a socket path)
            completeExceptionally(new HttpException(req + ": " + e.getMessage(), e));
            return;
        }
        pending = p;
        p.whenComplete((grant, err) -> {
            if (err != null) {
                if (!(err instanceof CancellationException)) {
                    completeExceptionally(new HttpException(req + ": " + err.getMessage(), err));
                }
                return;
            }
            if (future.isDone()) { // cancelled while it waited for the connection
                client.pool().release(origin, grant.connection(), grant.reused(), null);
                return;
            }
            Exchange x = new Exchange(this, req, grant.connection(), grant.reused(), client.addsAcceptEncoding(req));
            exchange = x;
            grant.connection().start(x);
        });
    }

    /** Loop thread: the head of a response arrived. */
    void onResponse(HttpResponse response) {
        HttpRequest next = redirect(response);
        if (next != null) {
            offLoop(() -> followRedirect(response, next), response); // reads a body: never on the loop
        } else if (privateFuture) {
            answer(response);
        } else {
            offLoop(() -> answer(response), response);
        }
    }

    /**
     * Runs {@code task} on the client's executor. An executor of the user's may refuse (shut down,
     * saturated): the caller then gets that as the failure, here, rather than a future that never
     * completes; {@code response} (may be null) is closed, as nobody will read it.
     */
    private void offLoop(Runnable task, HttpResponse response) {
        try {
            client.executor().execute(task);
        } catch (RejectedExecutionException e) {
            if (response != null) {
                response.close();
            }
            future.completeExceptionally(new HttpException(request + ": the HTTP client's executor refused the task: " + e, e));
        }
    }

    private void answer(HttpResponse response) {
        if (!future.complete(response)) {
            response.close(); // nobody wants it any more
        }
    }

    /** Loop thread (or pool): the exchange failed before a response head arrived. */
    void onFailure(HttpException e, boolean retryable) {
        if (retryable && !retried && !future.isDone()) {
            retried = true;
            start(false);
        } else {
            completeExceptionally(e);
        }
    }

    private void completeExceptionally(Throwable e) {
        if (privateFuture) {
            future.completeExceptionally(e);
        } else {
            offLoop(() -> future.completeExceptionally(e), null);
        }
    }

    /**
     * The request a redirect leads to, or null when the response is the answer: redirects are off or
     * exhausted, it is no redirect, or its {@code Location} is nothing this client can send a request
     * to (not http, no host as in {@code http:/x}, a bad port, a target that cannot be written).
     */
    private HttpRequest redirect(HttpResponse response) {
        if (!client.followRedirects() || redirects >= MAX_REDIRECTS) {
            return null;
        }
        int s = response.statusCode();
        if (s != 301 && s != 302 && s != 303 && s != 307 && s != 308) {
            return null;
        }
        String location = response.headers().first("Location").orElse(null);
        if (location == null) {
            return null;
        }
        URI target;
        try {
            target = response.request().uri().resolve(location);
        } catch (IllegalArgumentException e) {
            return null;
        }
        // Only http is reachable; a redirect elsewhere (https) is handed to the caller to decide.
        if (!"http".equalsIgnoreCase(target.getScheme()) || target.getHost() == null) {
            return null;
        }
        HttpRequest previous = request;
        boolean keepsBody = s == 307 || s == 308;
        if (keepsBody && previous.body() instanceof HttpRequest.Body.Stream) {
            return null; // a stream cannot be sent twice
        }
        boolean toGet = s == 303 || (s == 301 || s == 302) && !previous.method().equals("GET") && !previous.method().equals("HEAD");
        HttpHeaders.Builder headers = previous.headers().toBuilder();
        if (toGet) {
            headers.remove("Content-Type");
        }
        if (!Origin.of(target, null).equals(Origin.of(previous.uri(), null))) {
            headers.remove("Host").remove("Authorization").remove("Cookie");
        }
        try {
            return new HttpRequest(toGet ? "GET" : previous.method(), target, headers.build(),
                    toGet ? HttpRequest.Body.none() : previous.body());
        } catch (IllegalArgumentException notSendable) {
            return null; // the caller gets the 3xx and its Location to judge for itself
        }
    }

    /** Executor thread: reads out the redirect's body (so its connection is reused) and sends {@code next}. */
    private void followRedirect(HttpResponse response, HttpRequest next) {
        try (var in = response.bodyStream()) {
            in.transferTo(OutputStream.nullOutputStream());
        } catch (IOException e) {
            // The body of a redirect is of no interest; its connection has been destroyed and that is all.
        } catch (IllegalStateException e) { // an executor that ran this inline, on the loop: fail, not hang
            completeExceptionally(new HttpException(response.request() + ": " + e.getMessage(), e));
            return;
        }
        request = next;
        redirects++;
        retried = false;
        start(true);
    }
}
