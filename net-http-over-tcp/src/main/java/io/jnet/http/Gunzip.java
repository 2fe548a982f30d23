package io.jnet.http;

import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;

/**
 * Decompresses a gzip body as it is read. Opens the {@link GZIPInputStream} on the first read, not
 * on construction, because opening reads the gzip header and would block the thread that hands the
 * response over.
 */
final class Gunzip extends InputStream {
    private final InputStream compressed;
    private InputStream inflated;

    Gunzip(InputStream compressed) {
        this.compressed = compressed;
    }

    private InputStream open() throws IOException {
        if (inflated == null) {
            inflated = new GZIPInputStream(compressed, 8192);
        }
        return inflated;
    }

    @Override
    public int read() throws IOException {
        int b = open().read();
        if (b < 0) {
            drain();
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = open().read(b, off, len);
        if (n < 0) {
            drain();
        }
        return n;
    }

    /**
     * The gzip member can end before the body does (a chunked body's last chunk is still on its way):
     * read the body to its real end, so that closing afterwards returns the connection to the pool
     * instead of abandoning it.
     */
    private void drain() throws IOException {
        byte[] skip = new byte[512];
        while (compressed.read(skip, 0, skip.length) >= 0) {
            // discarding what follows the gzip member
        }
    }

    @Override
    public int available() throws IOException {
        return inflated == null ? 0 : inflated.available();
    }

    @Override
    public void close() throws IOException {
        compressed.close();
    }
}
