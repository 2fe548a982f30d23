package io.jnet.ipc;

import io.jnet.Endpoint;
import io.jnet.ServerOptions;
import io.jnet.spi.ServerBinding;
import org.newsclub.net.unix.AFUNIXServerSocketChannel;
import org.newsclub.net.unix.AFUNIXSocketAddress;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * A child process for {@link UmaskTest}, started under {@code umask 000}: prints the mode a plain
 * junixsocket bind gives ({@code args[0]}), then the mode jnet's bind gives ({@code args[1]}).
 */
public final class UmaskChild {
    private UmaskChild() {
    }

    public static void main(String[] args) throws IOException {
        Path plain = Path.of(args[0]);
        try (AFUNIXServerSocketChannel channel = AFUNIXServerSocketChannel.open()) {
            channel.bind(AFUNIXSocketAddress.of(plain));
            System.out.println("plain " + mode(plain));
        }
        Path jnet = Path.of(args[1]);
        ServerBinding binding = new IpcTransport().bind(Endpoint.ipc(jnet), ServerOptions.defaults());
        System.out.println("jnet " + mode(jnet));
        binding.close();
    }

    private static String mode(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS));
    }
}
