package io.jnet.ipc.handles;

import io.jnet.ErrorCode;
import io.jnet.NetException;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * One handle frame, written and read as the wire format in {@link HandleChannel}'s Javadoc documents:
 * a 10-byte header, the address and the message; its descriptor rides on its first byte.
 *
 * @param peer            a TCP SOCKET's peer; null otherwise
 * @param socketFile      an AF_UNIX SERVER's socket file; null otherwise (and for an abstract name)
 * @param socketFileMoves for an AF_UNIX SERVER: the receiver owns the socket file (removes it on close)
 */
record HandleFrame(ReceivedHandle.Kind kind, StandardProtocolFamily family, InetSocketAddress peer,
                   String socketFile, boolean socketFileMoves, String message) {
    static final int HEADER_BYTES = 10;
    static final int MAX_MESSAGE_BYTES = 4096;
    /** {@code sun_path}'s size on Linux: no socket file name is longer. */
    static final int MAX_SOCKET_FILE_BYTES = 108;
    static final int MAX_FRAME_BYTES = HEADER_BYTES + MAX_SOCKET_FILE_BYTES + MAX_MESSAGE_BYTES;
    private static final int MAGIC = 0x4A48;
    private static final int VERSION = 1;
    private static final int AF_UNIX = 1;

    /** A TCP frame. */
    HandleFrame(ReceivedHandle.Kind kind, StandardProtocolFamily family, InetSocketAddress peer, String message) {
        this(kind, family, peer, null, false, message);
    }

    ByteBuffer encode() {
        byte[] text = message.getBytes(StandardCharsets.UTF_8);
        if (text.length > MAX_MESSAGE_BYTES) {
            throw new NetException(ErrorCode.ERR_INVALID_ARG_VALUE, null, null,
                    "a handle's message is " + text.length + " bytes in UTF-8, over the limit of " + MAX_MESSAGE_BYTES, null);
        }
        byte[] address;
        int port;
        if (family == StandardProtocolFamily.UNIX) {
            address = socketFile == null ? new byte[0] : socketFile.getBytes(StandardCharsets.UTF_8);
            port = socketFileMoves ? 1 : 0;
            if (address.length > MAX_SOCKET_FILE_BYTES) {
                throw new IllegalArgumentException("socket file of " + address.length + " bytes, longer than sun_path's "
                        + MAX_SOCKET_FILE_BYTES + ": " + socketFile);
            }
        } else {
            address = peer == null ? new byte[0] : peer.getAddress().getAddress();
            port = peer == null ? 0 : peer.getPort();
        }
        ByteBuffer b = ByteBuffer.allocate(HEADER_BYTES + address.length + text.length);
        b.putShort((short) MAGIC).put((byte) VERSION).put((byte) (kind == ReceivedHandle.Kind.SOCKET ? 1 : 2))
                .put((byte) familyByte(family)).put((byte) address.length)
                .putShort((short) port).putShort((short) text.length)
                .put(address).put(text);
        return b.flip();
    }

    private static int familyByte(StandardProtocolFamily family) {
        return switch (family) {
            case UNIX -> AF_UNIX;
            case INET6 -> 6;
            case INET -> 4;
        };
    }

    /** The header's fields, checked; {@code at} is the frame's first byte in the stream, for errors. */
    record Header(ReceivedHandle.Kind kind, StandardProtocolFamily family, int addressLength, int port, int messageLength) {
        int bodyBytes() {
            return addressLength + messageLength;
        }

        static Header read(ByteBuffer h, long at) {
            int magic = h.getShort(0) & 0xFFFF;
            if (magic != MAGIC) {
                throw malformed(at, String.format("expected the magic 0x4A48 (\"JH\") but got 0x%04X (%s)", magic, printable(h)));
            }
            int version = h.get(2) & 0xFF;
            if (version != VERSION) {
                throw malformed(at, "expected version 1 but got " + version);
            }
            int kindByte = h.get(3) & 0xFF;
            ReceivedHandle.Kind kind = switch (kindByte) {
                case 1 -> ReceivedHandle.Kind.SOCKET;
                case 2 -> ReceivedHandle.Kind.SERVER;
                default -> throw malformed(at, "unknown handle kind " + kindByte + " (1 = SOCKET, 2 = SERVER)");
            };
            int familyByte = h.get(4) & 0xFF;
            StandardProtocolFamily family = switch (familyByte) {
                case AF_UNIX -> StandardProtocolFamily.UNIX;
                case 4 -> StandardProtocolFamily.INET;
                case 6 -> StandardProtocolFamily.INET6;
                default -> throw malformed(at, "unknown address family " + familyByte + " (1, 4 or 6)");
            };
            int addressLength = h.get(5) & 0xFF;
            int port = h.getShort(6) & 0xFFFF;
            if (family == StandardProtocolFamily.UNIX) {
                checkUnix(kind, addressLength, port, at);
            } else {
                boolean addressFits = kind == ReceivedHandle.Kind.SERVER ? addressLength == 0 : addressLength == 4 || addressLength == 16;
                if (!addressFits) {
                    throw malformed(at, "a TCP " + kind + " frame cannot have a " + addressLength + "-byte peer address");
                }
            }
            int messageLength = h.getShort(8) & 0xFFFF;
            if (messageLength > MAX_MESSAGE_BYTES) {
                throw malformed(at, "message of " + messageLength + " bytes, over the limit of " + MAX_MESSAGE_BYTES);
            }
            return new Header(kind, family, addressLength, port, messageLength);
        }

        private static void checkUnix(ReceivedHandle.Kind kind, int addressLength, int flags, long at) {
            if (kind == ReceivedHandle.Kind.SOCKET ? addressLength != 0 : addressLength > MAX_SOCKET_FILE_BYTES) {
                throw malformed(at, "an AF_UNIX " + kind + " frame cannot have a " + addressLength + "-byte address");
            }
            if (flags > 1 || (flags == 1 && (kind == ReceivedHandle.Kind.SOCKET || addressLength == 0))) {
                throw malformed(at, "an AF_UNIX " + kind + " frame cannot have the flags " + flags
                        + (addressLength == 0 ? " without a socket file" : ""));
            }
        }
    }

    static HandleFrame of(Header header, ByteBuffer body) {
        if (header.family() == StandardProtocolFamily.UNIX) {
            byte[] file = new byte[header.addressLength()];
            body.get(file);
            byte[] text = new byte[header.messageLength()];
            body.get(text);
            return new HandleFrame(header.kind(), header.family(), null,
                    file.length == 0 ? null : new String(file, StandardCharsets.UTF_8), header.port() == 1,
                    new String(text, StandardCharsets.UTF_8));
        }
        InetSocketAddress peer = null;
        if (header.addressLength() > 0) {
            byte[] address = new byte[header.addressLength()];
            body.get(address);
            try {
                peer = new InetSocketAddress(InetAddress.getByAddress(address), header.port());
            } catch (UnknownHostException e) {
                throw new IllegalStateException("4 or 16 bytes are always an address", e);
            }
        }
        byte[] text = new byte[header.messageLength()];
        body.get(text);
        return new HandleFrame(header.kind(), header.family(), peer, new String(text, StandardCharsets.UTF_8));
    }

    static NetException malformed(long at, String what) {
        return new NetException(ErrorCode.ERR_MALFORMED_MESSAGE, "recvmsg", null,
                "not a handle frame at byte " + at + " of the channel: " + what, null);
    }

    /** The header's bytes as text where they are printable, so garbage from a wrong peer is recognisable. */
    private static String printable(ByteBuffer h) {
        StringBuilder s = new StringBuilder("\"");
        for (int i = 0; i < h.limit(); i++) {
            int c = h.get(i) & 0xFF;
            s.append(c >= 0x20 && c < 0x7F ? String.valueOf((char) c) : String.format("\\x%02X", c));
        }
        return s.append('"').toString();
    }
}
