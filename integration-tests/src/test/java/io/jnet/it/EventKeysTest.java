package io.jnet.it;

import io.jnet.ConnectOptions;
import io.jnet.Endpoint;
import io.jnet.Event;
import io.jnet.Net;
import io.jnet.Server;
import io.jnet.Signal;
import io.jnet.Socket;
import io.jnet.codec.MessageChannel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.ToolProvider;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Event keys carry their owner: another emitter's key is a compile error, a forged key a clear refusal. */
class EventKeysTest {

    @TempDir
    Path dir;

    @Test
    void anotherEmittersKeyDoesNotCompile() throws Exception {
        assertTrue(compiles("socket.on(Socket.ERROR, e -> { });"), "the control case must compile");
        assertFalse(compiles("socket.on(Server.ERROR, e -> { });"), "a Server key on a Socket");
        assertFalse(compiles("server.on(Socket.ERROR, e -> { });"), "a Socket key on a Server");
        assertFalse(compiles("server.on(Socket.END, () -> { });"), "a Socket signal on a Server");
        assertFalse(compiles("socket.on(MessageChannel.MESSAGE, m -> { });"), "a MessageChannel key on a Socket");
    }

    @Test
    void aKeyForgedForSocketIsRefusedNamingIt() {
        Socket socket = Net.socket(Endpoint.tcp("127.0.0.1", 9), ConnectOptions.defaults());
        Event<Socket, String> forged = Event.of(Socket.class, "forged", 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> socket.on(forged, s -> { }));
        assertEquals("'forged' is not an event of Socket", e.getMessage());
        Signal<Socket> outOfRange = Signal.of(Socket.class, "far", 99);
        assertThrows(IllegalArgumentException.class, () -> socket.once(outOfRange, () -> { }));
        socket.destroy();
    }

    private boolean compiles(String statement) throws Exception {
        String source = "import io.jnet.*;\nimport io.jnet.codec.MessageChannel;\n"
                + "class Use { void use(Socket socket, Server server) { " + statement + " } }\n";
        Path file = Files.writeString(dir.resolve("Use.java"), source, StandardCharsets.UTF_8);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (var files = javac.getStandardFileManager(diagnostics, null, StandardCharsets.UTF_8)) {
            List<String> options = List.of("-d", dir.toString(), "-cp", System.getProperty("java.class.path"));
            return javac.getTask(null, files, diagnostics, options, null, files.getJavaFileObjects(file)).call();
        }
    }
}
