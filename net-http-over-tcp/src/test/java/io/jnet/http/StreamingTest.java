package io.jnet.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jnet.Endpoint;
import io.jnet.Net;
import io.jnet.Server;
import io.jnet.Socket;
import java.io.InputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A 1 GiB chunked response read through the stream: the client's live heap must stay small. */
class StreamingTest {
    private static final long TOTAL = 1L << 30;
    private static final int CHUNK = 64 * 1024;

    /** Serves {@link #TOTAL} bytes as 64 KiB chunks, writing only while the socket takes them (DRAIN). */
    private static Server chunkedServer() {
        byte[] framed = new byte[Integer.toHexString(CHUNK).length() + 2 + CHUNK + 2];
        byte[] size = (Integer.toHexString(CHUNK) + "\r\n").getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(size, 0, framed, 0, size.length);
        framed[framed.length - 2] = '\r';
        framed[framed.length - 1] = '\n';
        ByteBuffer chunk = ByteBuffer.wrap(framed).asReadOnlyBuffer(); // never changed, so one array serves every write
        Server server = Net.createServer(socket -> socket.once(Socket.DATA, request -> {
            socket.write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
            long[] left = {TOTAL / CHUNK};
            Runnable pump = new Runnable() {
                @Override
                public void run() {
                    while (left[0] > 0) {
                        left[0]--;
                        if (!socket.write(chunk.duplicate())) {
                            socket.once(Socket.DRAIN, this);
                            return;
                        }
                    }
                    socket.write("0\r\n\r\n");
                }
            };
            pump.run();
        }));
        server.listen(Endpoint.tcp("127.0.0.1", 0));
        return server;
    }

    private static long liveHeap() {
        System.gc();
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void oneGibChunkedBodyStreamsInBoundedMemory() throws Exception {
        Server server = chunkedServer();
        int port = ((Endpoint.Tcp) server.address()).port();
        try (HttpClient client = HttpClient.create()) {
            long before = liveHeap();
            long maxGrowth = 0;
            long read = 0;
            try (HttpResponse response = client.send(HttpRequest.get("http://127.0.0.1:" + port + "/big"));
                 InputStream in = response.bodyStream()) {
                byte[] buf = new byte[64 * 1024];
                long nextCheck = 128L << 20;
                int n;
                while ((n = in.read(buf)) > 0) {
                    read += n;
                    if (read >= nextCheck) {
                        maxGrowth = Math.max(maxGrowth, liveHeap() - before);
                        nextCheck += 128L << 20;
                    }
                }
            }
            assertEquals(TOTAL, read);
            assertTrue(maxGrowth < 32L << 20, "live heap grew by " + (maxGrowth >> 20) + " MiB");
        } finally {
            server.close();
        }
    }
}
