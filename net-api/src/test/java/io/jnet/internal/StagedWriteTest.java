package io.jnet.internal;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Heap bytes written through the loop's direct stage over a real loopback connection: order and positions. */
class StagedWriteTest {
    private ServerSocketChannel listener;
    private SocketChannel writer;
    private SocketChannel reader;

    @BeforeEach
    void connect() throws IOException {
        listener = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        writer = SocketChannel.open(listener.getLocalAddress());
        reader = listener.accept();
    }

    @AfterEach
    void close() throws IOException {
        writer.close();
        reader.close();
        listener.close();
    }

    @Test
    void aStageSmallerThanTheBuffersTakesTheirBytesInOrderAndAdvancesEachByItsShare() throws IOException {
        ByteBuffer[] queue = {heap("abc"), heap("defgh"), heap("ijklmn")};
        ByteBuffer stage = ByteBuffer.allocateDirect(6);

        long written = OutboundBuffer.writeStaged(writer, queue, 0, 3, stage);

        assertEquals(6, written);
        assertEquals(0, queue[0].remaining());
        assertEquals("gh", text(queue[1]));
        assertEquals("ijklmn", text(queue[2]));
        assertArrayEquals("abcdef".getBytes(StandardCharsets.US_ASCII), readExactly(6));
    }

    @Test
    void oneBufferLargerThanTheStageGoesOutWholeWhileTheChannelTakesIt() throws IOException {
        byte[] bytes = new byte[10_000];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (i * 31);
        }
        ByteBuffer data = ByteBuffer.wrap(bytes, 100, 9_000).slice();

        OutboundBuffer.writeStaged(writer, data, ByteBuffer.allocateDirect(1_024));

        assertEquals(0, data.remaining());
        byte[] expected = new byte[9_000];
        System.arraycopy(bytes, 100, expected, 0, expected.length);
        assertArrayEquals(expected, readExactly(9_000));
    }

    private static ByteBuffer heap(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.US_ASCII));
    }

    private static String text(ByteBuffer b) {
        return StandardCharsets.US_ASCII.decode(b.duplicate()).toString();
    }

    private byte[] readExactly(int n) throws IOException {
        ByteBuffer in = ByteBuffer.allocate(n);
        for (int reads = 0; in.hasRemaining() && reads < 10_000; reads++) {
            if (reader.read(in) < 0) {
                break;
            }
        }
        return in.array();
    }
}
