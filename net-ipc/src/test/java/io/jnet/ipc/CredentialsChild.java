package io.jnet.ipc;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A child process for {@link PeerCredentialsTest}: connects to the socket path in {@code args[0]} with
 * the JDK's own Unix domain socket channel, sends its pid as a line, and exits when the server closes.
 */
public final class CredentialsChild {
    private CredentialsChild() {
    }

    public static void main(String[] args) throws IOException {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(Path.of(args[0])));
            channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)));
            ByteBuffer sink = ByteBuffer.allocate(256);
            while (channel.read(sink.clear()) >= 0) {
                // Wait for the server to close, so the test sees this process alive while it checks.
            }
        }
    }
}
