package io.jnet.cli;

/**
 * A command line that cannot be run as typed: an unknown option, a missing value, a bad number.
 * {@link Jnet} prints its message on one stderr line and exits with {@link Jnet#EXIT_USAGE}.
 */
final class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Which subcommand's {@code --help} to point the user at, or null for {@code jnet --help}. */
    private final String command;

    UsageException(String command, String message) {
        super(message);
        this.command = command;
    }

    /** The hint printed after the message: {@code jnet serve --help}, or {@code jnet --help}. */
    String helpHint() {
        return command == null ? "jnet --help" : "jnet " + command + " --help";
    }
}
