/**
 * jnet's test kit, for integration test suites: {@link io.jnet.testkit.JnetServerExtension} (an ephemeral
 * jnet server per test or per class), {@link io.jnet.testkit.ScriptedHttpServer} (a scripted HTTP/1.1
 * responder on jnet's own server), {@link io.jnet.testkit.EventTrace} (a socket's or server's events in
 * order, with assertions) and {@link io.jnet.testkit.JnetLeakCheck} (nothing jnet opened is left behind).
 * The transport under test ({@code io.jnet:net-tcp}, {@code io.jnet:net-ipc}) and JUnit 5 come from the
 * user's build.
 */
module io.jnet.testkit {
    requires transitive io.jnet.api;
    requires transitive org.junit.jupiter.api;
    // Direct-memory use, read by the leak check.
    requires java.management;

    exports io.jnet.testkit;
}
