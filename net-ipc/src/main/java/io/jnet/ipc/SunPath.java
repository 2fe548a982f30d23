package io.jnet.ipc;

import io.jnet.ErrorCode;
import io.jnet.NetException;
import org.newsclub.net.unix.AFUNIXSocketAddress;

import java.net.SocketException;
import java.nio.file.Path;

/**
 * Turns endpoints into junixsocket addresses, enforcing the kernel's {@code sun_path} limit up front so
 * the error names the limit instead of junixsocket's "Byte array is too large" or "sockname too long".
 */
final class SunPath {
    /** {@code sizeof(sun_path)}, the terminating NUL included: 108 on Linux, 104 on macOS and the BSDs. */
    static final int SUN_PATH_SIZE = isLinux() ? 108 : 104;
    /** The longest path a socket file can have: one byte goes to the terminating NUL. */
    static final int MAX_PATH_BYTES = SUN_PATH_SIZE - 1;

    private SunPath() {
    }

    /** The number of bytes the path takes in {@code sun_path}, without the NUL. */
    static int bytes(Path path) {
        return path.toString().getBytes(AFUNIXSocketAddress.addressCharset()).length;
    }

    /** Whether the path fits in {@code sun_path}. */
    static boolean fits(Path path) {
        return bytes(path) <= MAX_PATH_BYTES;
    }

    /**
     * The address of a socket file.
     *
     * @throws NetException {@link ErrorCode#ENAMETOOLONG} naming the limit when the path does not fit
     */
    static AFUNIXSocketAddress of(Path path, String syscall) {
        int n = bytes(path);
        if (n > MAX_PATH_BYTES) {
            throw new NetException(ErrorCode.ENAMETOOLONG, syscall, path.toString(),
                    "socket path is " + n + " bytes, over the " + MAX_PATH_BYTES + "-byte limit of sun_path ("
                            + SUN_PATH_SIZE + " bytes with the terminating NUL); use a shorter path, a relative one,"
                            + " or Endpoint.ipcAbstract(name)", null);
        }
        try {
            return AFUNIXSocketAddress.of(path);
        } catch (SocketException e) {
            throw new NetException(ErrorCode.ERR_INVALID_ARG_VALUE, syscall, path.toString(), e.getMessage(), e);
        }
    }

    /**
     * The address of a name in Linux's abstract namespace (a leading NUL byte, then the name).
     *
     * @throws NetException {@link ErrorCode#ENAMETOOLONG} when the name does not fit,
     *                      {@link ErrorCode#ERR_TRANSPORT_UNAVAILABLE} off Linux
     */
    static AFUNIXSocketAddress ofAbstract(String name, String syscall) {
        if (!isLinux()) {
            throw new NetException(ErrorCode.ERR_TRANSPORT_UNAVAILABLE, syscall, "@" + name,
                    "the abstract socket namespace exists only on Linux (this is "
                            + System.getProperty("os.name") + "); use Endpoint.ipc(path)", null);
        }
        int n = name.getBytes(AFUNIXSocketAddress.addressCharset()).length;
        if (n + 1 > SUN_PATH_SIZE) {
            throw new NetException(ErrorCode.ENAMETOOLONG, syscall, "@" + name,
                    "abstract socket name is " + n + " bytes, over the " + (SUN_PATH_SIZE - 1)
                            + "-byte limit of sun_path (" + SUN_PATH_SIZE + " bytes with the leading NUL)", null);
        }
        try {
            return AFUNIXSocketAddress.inAbstractNamespace(name);
        } catch (SocketException e) {
            throw new NetException(ErrorCode.ERR_INVALID_ARG_VALUE, syscall, "@" + name, e.getMessage(), e);
        }
    }

    static boolean isLinux() {
        return System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).startsWith("linux");
    }
}
