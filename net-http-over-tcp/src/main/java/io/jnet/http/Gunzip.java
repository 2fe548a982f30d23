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
        return open().read();
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        return open().read(b, off, len);
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
