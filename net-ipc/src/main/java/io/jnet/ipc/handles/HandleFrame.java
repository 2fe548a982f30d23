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
 * a 10-byte header, the peer address and the message; its descriptor rides on its first byte.
 */
record HandleFrame(ReceivedHandle.Kind kind, StandardProtocolFamily family, InetSocketAddress peer, String message) {
    static final int HEADER_BYTES = 10;
    static final int MAX_MESSAGE_BYTES = 4096;
    static final int MAX_FRAME_BYTES = HEADER_BYTES + 16 + MAX_MESSAGE_BYTES;
    private static final int MAGIC = 0x4A48;
    private static final int VERSION = 1;

    ByteBuffer encode() {
        byte[] text = message.getBytes(StandardCharsets.UTF_8);
        if (text.length > MAX_MESSAGE_BYTES) {
            throw new NetException(ErrorCode.ERR_INVALID_ARG_VALUE, null, null,
                    "a handle's message is " + text.length + " bytes in UTF-8, over the limit of " + MAX_MESSAGE_BYTES, null);
        }
        byte[] address = peer == null ? new byte[0] : peer.getAddress().getAddress();
        ByteBuffer b = ByteBuffer.allocate(HEADER_BYTES + address.length + text.length);
        b.putShort((short) MAGIC).put((byte) VERSION).put((byte) (kind == ReceivedHandle.Kind.SOCKET ? 1 : 2))
                .put((byte) (family == StandardProtocolFamily.INET6 ? 6 : 4)).put((byte) address.length)
                .putShort((short) (peer == null ? 0 : peer.getPort())).putShort((short) text.length)
                .put(address).put(text);
        return b.flip();
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
                case 4 -> StandardProtocolFamily.INET;
                case 6 -> StandardProtocolFamily.INET6;
                default -> throw malformed(at, "unknown address family " + familyByte + " (4 or 6)");
            };
            int addressLength = h.get(5) & 0xFF;
            boolean addressFits = kind == ReceivedHandle.Kind.SERVER ? addressLength == 0 : addressLength == 4 || addressLength == 16;
            if (!addressFits) {
                throw malformed(at, "a " + kind + " frame cannot have a " + addressLength + "-byte peer address");
            }
            int messageLength = h.getShort(8) & 0xFFFF;
            if (messageLength > MAX_MESSAGE_BYTES) {
                throw malformed(at, "message of " + messageLength + " bytes, over the limit of " + MAX_MESSAGE_BYTES);
            }
            return new Header(kind, family, addressLength, h.getShort(6) & 0xFFFF, messageLength);
        }
    }

    static HandleFrame of(Header header, ByteBuffer body) {
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
