package io.jnet.cli;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code jnet} command: {@code demo}, {@code serve}, {@code connect} and {@code http}, a netcat and
 * a curl on jnet's sockets. Run it as {@code java -jar net-cli/target/jnet.jar demo}.
 *
 * <p>Exit codes are a contract scripts depend on: {@value #EXIT_OK} success, {@value #EXIT_FAILURE} a
 * failure at run time (one line on stderr, {@code jnet: connect ECONNREFUSED 127.0.0.1:9}),
 * {@value #EXIT_USAGE} a command line that cannot be run (one line, then a pointer to {@code --help}).
 */
public final class Jnet {
    /** Success. */
    public static final int EXIT_OK = 0;
    /** The command ran and failed: a refused connection, a timeout, a protocol error. */
    public static final int EXIT_FAILURE = 1;
    /** The command line is wrong: unknown subcommand or option, missing or bad value. */
    public static final int EXIT_USAGE = 2;

    /** Set (to anything) to get the stack trace after the one-line error, for bug reports. */
    static final String DEBUG_ENV = "JNET_DEBUG";

    private Jnet() {
    }

    /** Runs the command line and exits the JVM with its exit code. */
    public static void main(String[] argv) {
        int code = run(argv);
        System.out.flush();
        System.err.flush();
        System.exit(code);
    }

    /** Runs the command line in this JVM and returns the exit code (the JVM keeps running). */
    static int run(String[] argv) {
        Map<String, Command> commands = commands();
        List<String> args = Arrays.asList(argv);
        PrintStream err = System.err;
        if (args.isEmpty()) {
            // Asked for nothing: the overview goes to stderr, so a script that forgot its arguments fails loudly.
            err.print(overview(commands));
            return EXIT_USAGE;
        }
        if (args.get(0).equals("--help") || args.get(0).equals("-h") || args.get(0).equals("help")) {
            System.out.print(overview(commands));
            return EXIT_OK;
        }
        if (args.get(0).equals("--version") || args.get(0).equals("-V")) {
            System.out.println("jnet " + Version.get());
            return EXIT_OK;
        }
        Command command = commands.get(args.get(0));
        if (command == null) {
            err.println("jnet: unknown command \"" + args.get(0) + "\"; commands are " + String.join(", ", commands.keySet()));
            err.println("Try 'jnet --help'.");
            return EXIT_USAGE;
        }
        List<String> rest = args.subList(1, args.size());
        if (rest.contains("--help") || rest.contains("-h")) {
            System.out.print(command.help());
            return EXIT_OK;
        }
        try {
            return command.run(new Args(command.name(), rest));
        } catch (UsageException e) {
            err.println("jnet: " + e.getMessage());
            err.println("Try '" + e.helpHint() + "'.");
            return EXIT_USAGE;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("jnet: interrupted");
            return EXIT_FAILURE;
        } catch (Exception e) {
            err.println("jnet: " + Failures.describe(e));
            if (System.getenv(DEBUG_ENV) != null) {
                e.printStackTrace(err);
            }
            return EXIT_FAILURE;
        }
    }

    private static Map<String, Command> commands() {
        Map<String, Command> m = new LinkedHashMap<>();
        for (Command c : List.of(new DemoCommand(), new ServeCommand(), new ConnectCommand(), new HttpCommand())) {
            m.put(c.name(), c);
        }
        return m;
    }

    private static String overview(Map<String, Command> commands) {
        StringBuilder sb = new StringBuilder();
        sb.append("jnet ").append(Version.get()).append(" - Node.js's net module for the JVM, as a command\n\n");
        sb.append("Usage: jnet COMMAND [OPTIONS]\n       jnet COMMAND --help\n       jnet --version\n\nCommands:\n");
        for (Command c : commands.values()) {
            sb.append(String.format("  %-9s %s%n", c.name(), c.summary()));
        }
        sb.append("\nExit codes: 0 success, 1 failure (one line on stderr), 2 bad command line.\n");
        sb.append("Set JNET_DEBUG=1 for the stack trace behind a failure line.\n");
        return sb.toString();
    }
}
