package io.jnet.cli.demo;

import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The demo's readable record on stdout: one section per lesson, one line per event with the time
 * since the section began and who saw it.
 *
 * <pre>
 * == TCP echo ==
 *     +1.2 ms  server  listening on 127.0.0.1:40113
 * </pre>
 *
 * <p>Thread-safe: client and server events arrive on different loop threads, and each line is printed
 * whole.
 */
final class Transcript {
    private final PrintStream out;
    private long sectionStart = System.nanoTime();

    Transcript(PrintStream out) {
        this.out = out;
    }

    /** Starts a section: a blank line, its title, and a new time origin. */
    synchronized void section(String title) {
        out.println();
        out.println("== " + title + " ==");
        sectionStart = System.nanoTime();
    }

    /** One event, seen by {@code who} ({@code client}, {@code server}, …). */
    synchronized void step(String who, String what) {
        double ms = (System.nanoTime() - sectionStart) / 1e6;
        out.printf("  %+8.1f ms  %-7s %s%n", ms, who, what);
    }

    /** A line of its own, indented under the section (tables, notes). */
    synchronized void line(String text) {
        out.println("  " + text);
    }

    /** The chunk's bytes as a quoted, printable string, without moving the caller's buffer. */
    static String quote(ByteBuffer chunk) {
        return quote(StandardCharsets.UTF_8.decode(chunk.duplicate()).toString());
    }

    /** The text quoted, with line breaks shown as {@code \n} and {@code \r} so each event stays on one line. */
    static String quote(String text) {
        return "\"" + text.replace("\n", "\\n").replace("\r", "\\r") + "\"";
    }
}
