package io.jnet.internal;

import io.jnet.WriteCallback;

import java.util.ArrayList;
import java.util.List;

/**
 * The callbacks of {@code Socket.end(WriteCallback)}, Node's {@code end(cb)}: each told once, with null
 * when our side's FIN has been handed to the kernel, or with the error that means it never will be.
 * Loop thread only; callbacks run on a later turn of the loop, as write callbacks do.
 */
final class EndCallbacks {
    private final OutboundBuffer completions;
    private List<WriteCallback> waiting;

    EndCallbacks(OutboundBuffer completions) {
        this.completions = completions;
    }

    void add(WriteCallback callback) {
        if (waiting == null) {
            waiting = new ArrayList<>(1);
        }
        waiting.add(callback);
    }

    /** Tells every waiting callback; null means the FIN is sent. */
    void complete(Throwable error) {
        if (waiting == null) {
            return;
        }
        List<WriteCallback> told = waiting;
        waiting = null;
        for (WriteCallback cb : told) {
            completions.complete(cb, error);
        }
    }
}
