package io.jnet.cli;

/**
 * One {@code jnet} subcommand. {@link Jnet} picks it by {@link #name()}, prints {@link #help()} for
 * {@code jnet NAME --help}, and turns what {@link #run} throws into one stderr line and an exit code.
 */
interface Command {
    /** The word typed after {@code jnet}. */
    String name();

    /** One line for {@code jnet --help}. */
    String summary();

    /** The full usage text for {@code jnet NAME --help}, ending with a newline. */
    String help();

    /**
     * Runs the command on the main thread.
     *
     * @return the process exit code (0 success, 1 failure)
     * @throws UsageException when the arguments are wrong; anything else is a runtime failure
     */
    int run(Args args) throws Exception;
}
