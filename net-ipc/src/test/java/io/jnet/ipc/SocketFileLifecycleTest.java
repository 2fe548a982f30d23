package io.jnet.ipc;

import io.jnet.Endpoint;
import io.jnet.ErrorCode;
import io.jnet.NetException;
import io.jnet.ServerOptions;
import io.jnet.spi.ServerBinding;
import org.junit.jupiter.api.AfterEach;
import org.newsclub.net.unix.AFUNIXSocketAddress;
import org.newsclub.net.unix.AFUNIXSocketChannel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link IpcTransport#bind}: what listen does with the socket file, driven directly with real sockets. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class SocketFileLifecycleTest {
    @TempDir
    Path dir;

    private final IpcTransport transport = new IpcTransport();
    private final List<ServerBinding> bindings = new ArrayList<>();

    @AfterEach
    void closeBindings() throws IOException {
        for (ServerBinding b : bindings) {
            if (b.channel().isOpen()) {
                b.close();
            }
        }
    }

    private ServerBinding bind(Path path, ServerOptions options) {
        ServerBinding b = transport.bind(Endpoint.ipc(path), options);
        bindings.add(b);
        return b;
    }

    /** A socket file nobody listens on, made with the JDK's own channel (which leaves its file behind on close). */
    private static void makeStaleSocketFile(Path path) throws IOException {
        try (ServerSocketChannel jdk = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            jdk.bind(UnixDomainSocketAddress.of(path));
        }
        assertTrue(Files.exists(path, LinkOption.NOFOLLOW_LINKS), "the JDK leaves the socket file on close");
    }

    /** Connects with junixsocket: the JDK refuses a 107-byte path ("Unix domain path too long") that the kernel takes. */
    private static boolean accepts(Path path) {
        try (AFUNIXSocketChannel c = AFUNIXSocketChannel.open(AFUNIXSocketAddress.of(path))) {
            return c.isConnected();
        } catch (IOException refused) {
            return false;
        }
    }

    private static String mode(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void listenCreatesAnOwnerOnlySocketFileWhateverTheUmask() throws IOException {
        Path path = dir.resolve("a.sock");
        ServerBinding b = bind(path, ServerOptions.defaults());
        assertTrue(Files.readAttributes(path, java.nio.file.attribute.BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).isOther(),
                "a socket, not a regular file");
        assertEquals("rw-------", mode(path));
        assertEquals(Endpoint.ipc(path), b.address());
        assertTrue(accepts(path));
    }

    @Test
    void readableAllAndWritableAllWidenTheModeAsNodeDoes() throws IOException {
        Path readable = dir.resolve("r.sock");
        bind(readable, ServerOptions.builder().readableAll(true).build());
        assertEquals("rw-r--r--", mode(readable));
        Path writable = dir.resolve("w.sock");
        bind(writable, ServerOptions.builder().writableAll(true).build());
        assertEquals("rw--w--w-", mode(writable));
        Path both = dir.resolve("rw.sock");
        bind(both, ServerOptions.builder().readableAll(true).writableAll(true).build());
        assertEquals("rw-rw-rw-", mode(both));
    }

    @Test
    void closeRemovesTheSocketFileAndLeavesTheDirectoryAsItWas() throws IOException {
        Path path = dir.resolve("a.sock");
        ServerBinding b = bind(path, ServerOptions.defaults());
        b.close();
        assertFalse(Files.exists(path, LinkOption.NOFOLLOW_LINKS));
        try (var entries = Files.list(dir)) {
            assertEquals(List.of(), entries.toList(), "no private directory or file left behind");
        }
    }

    @Test
    void closeLeavesAPathThatIsNoLongerOurs() throws IOException {
        Path path = dir.resolve("a.sock");
        ServerBinding b = bind(path, ServerOptions.defaults());
        Files.delete(path);
        Files.writeString(path, "someone else's");
        b.close();
        assertEquals("someone else's", Files.readString(path));
    }

    @Test
    void listenOnAPathWhereAServerListensIsEaddrinuseNamingThePathAndTheFirstServerKeepsServing() {
        Path path = dir.resolve("a.sock");
        bind(path, ServerOptions.defaults());
        NetException e = assertThrows(NetException.class, () -> bind(path, ServerOptions.defaults()));
        assertEquals(ErrorCode.EADDRINUSE, e.code());
        assertTrue(e.getMessage().contains(path.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("another server is listening"), e.getMessage());
        assertTrue(accepts(path), "the first server still has its path");
    }

    @Test
    void reclaimStaleNeverReplacesALiveListener() {
        Path path = dir.resolve("a.sock");
        bind(path, ServerOptions.defaults());
        NetException e = assertThrows(NetException.class,
                () -> bind(path, ServerOptions.builder().reclaimStale(true).build()));
        assertEquals(ErrorCode.EADDRINUSE, e.code());
        assertTrue(accepts(path));
    }

    @Test
    void staleSocketFileIsEaddrinuseSayingItIsStaleAndHowToReclaimIt() throws IOException {
        Path path = dir.resolve("a.sock");
        makeStaleSocketFile(path);
        NetException e = assertThrows(NetException.class, () -> bind(path, ServerOptions.defaults()));
        assertEquals(ErrorCode.EADDRINUSE, e.code());
        assertTrue(e.getMessage().contains("stale"), e.getMessage());
        assertTrue(e.getMessage().contains("reclaimStale(true)"), e.getMessage());
        assertTrue(e.getMessage().contains(path.toString()), e.getMessage());
        assertTrue(Files.exists(path, LinkOption.NOFOLLOW_LINKS), "left in place");
    }

    @Test
    void reclaimStaleReplacesAStaleSocketFile() throws IOException {
        Path path = dir.resolve("a.sock");
        makeStaleSocketFile(path);
        bind(path, ServerOptions.builder().reclaimStale(true).build());
        assertTrue(accepts(path));
        assertEquals("rw-------", mode(path));
    }

    @Test
    void reclaimingTheFileOfACrashedServerAlsoRemovesItsPrivateDirectory() throws IOException {
        Path path = dir.resolve("a.sock");
        ServerBinding crashed = transport.bind(Endpoint.ipc(path), ServerOptions.defaults());
        crashed.channel().close(); // as a kill -9 would: the files stay, nobody listens
        ServerBinding b = bind(path, ServerOptions.builder().reclaimStale(true).build());
        assertTrue(accepts(path));
        b.close();
        try (var entries = Files.list(dir)) {
            assertEquals(List.of(), entries.toList(), "neither server left anything behind");
        }
    }

    @Test
    void aRegularFileAtThePathIsNeverReplacedEvenWithReclaimStale() throws IOException {
        Path path = dir.resolve("data.txt");
        Files.writeString(path, "precious");
        NetException e = assertThrows(NetException.class,
                () -> bind(path, ServerOptions.builder().reclaimStale(true).build()));
        assertEquals(ErrorCode.EADDRINUSE, e.code());
        assertTrue(e.getMessage().contains("regular file"), e.getMessage());
        assertEquals("precious", Files.readString(path));
    }

    @Test
    void missingDirectoryIsEnoentNamingIt() {
        Path path = dir.resolve("missing/a.sock");
        NetException e = assertThrows(NetException.class, () -> bind(path, ServerOptions.defaults()));
        assertEquals(ErrorCode.ENOENT, e.code());
        assertTrue(e.getMessage().contains(dir.resolve("missing").toString()), e.getMessage());
    }

    @Test
    void pathOverTheSunPathLimitIsEnametoolongNamingTheLimit() {
        String name = "x".repeat(SunPath.MAX_PATH_BYTES + 1 - dir.toString().length() - 1);
        Path path = dir.resolve(name);
        assertEquals(SunPath.MAX_PATH_BYTES + 1, path.toString().length());
        NetException e = assertThrows(NetException.class, () -> bind(path, ServerOptions.defaults()));
        assertEquals(ErrorCode.ENAMETOOLONG, e.code());
        assertTrue(e.getMessage().contains("107-byte limit"), e.getMessage());
        assertTrue(e.getMessage().contains("108"), e.getMessage());
    }

    @Test
    void pathOfExactlyTheLimitStillListensOwnerOnly() throws IOException {
        String name = "y".repeat(SunPath.MAX_PATH_BYTES - dir.toString().length() - 1);
        Path path = dir.resolve(name);
        assertEquals(SunPath.MAX_PATH_BYTES, path.toString().length());
        bind(path, ServerOptions.defaults());
        assertTrue(accepts(path));
        assertEquals("rw-------", mode(path));
    }

    @Test
    void unwritableDirectoryIsEacces() throws IOException {
        org.junit.jupiter.api.Assumptions.assumeFalse("root".equals(System.getProperty("user.name")),
                "root ignores directory permissions, so EACCES cannot happen");
        Path locked = Files.createDirectory(dir.resolve("locked"));
        Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("r-x------"));
        try {
            NetException e = assertThrows(NetException.class, () -> bind(locked.resolve("a.sock"), ServerOptions.defaults()));
            assertEquals(ErrorCode.EACCES, e.code());
        } finally {
            Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("rwx------"));
        }
    }
}
