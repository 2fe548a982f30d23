package io.jnet;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Every address of a connect failed: Node's {@code AggregateError} from {@code autoSelectFamily}. The
 * {@link #code()} is the first attempt's, as in Node; {@link #errors()} holds each attempt's error, in
 * the order the attempts were made, and the message names each of them.
 *
 * <pre>{@code
 * socket.on(Socket.ERROR, err -> {
 *     if (err instanceof AggregateNetException all) all.errors().forEach(e -> log.info("  {}", e.getMessage()));
 * });
 * }</pre>
 */
public final class AggregateNetException extends NetException {
    private static final long serialVersionUID = 1L;

    private final List<NetException> errors;

    /** @param errors at least one error, one per failed attempt */
    public AggregateNetException(String target, List<NetException> errors) {
        super(errors.get(0).code(), "connect", target, "all " + errors.size() + " addresses failed ("
                + errors.stream().map(Throwable::getMessage).collect(Collectors.joining("; ")) + ")", null);
        this.errors = List.copyOf(errors);
        errors.forEach(this::addSuppressed);
    }

    /** Each attempt's error, in the order the attempts were made. */
    public List<NetException> errors() {
        return errors;
    }
}
