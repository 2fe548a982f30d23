package io.jnet.spi;

import io.jnet.NetException;

import java.io.IOException;

/**
 * Lets a transport throw an exact {@link NetException} through a method declared to throw
 * {@link IOException} (such as {@link Transport#open}); {@link Errors#fromIo} unwraps it unchanged.
 */
public final class CarriedNetException extends IOException {
    private static final long serialVersionUID = 1L;

    private final NetException exception;

    public CarriedNetException(NetException exception) {
        super(exception.getMessage(), exception);
        this.exception = exception;
    }

    /** The exception to report. */
    public NetException exception() {
        return exception;
    }
}
