package io.jnet.internal;

import io.jnet.codec.Utf8Decoder;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * A socket's {@code setEncoding}: turns the chunks it reads into text for {@code Socket.TEXT}, holding
 * the bytes of a character split across chunks until the rest arrives (Node's {@code StringDecoder}).
 * UTF-8 goes through {@link Utf8Decoder} (Node's replacement rules for malformed input); any other
 * charset through a {@link CharsetDecoder} that replaces what it cannot decode. Loop thread only.
 */
abstract sealed class TextDecoding {

    static TextDecoding of(Charset charset) {
        return charset.equals(StandardCharsets.UTF_8) ? new Utf8() : new Other(charset);
    }

    /** The text completed by the chunk's remaining bytes; the chunk's position and limit are left alone. */
    abstract String decode(ByteBuffer chunk);

    /** End of stream: what an unfinished character left (a replacement character), else "". */
    abstract String flush();

    private static final class Utf8 extends TextDecoding {
        private final Utf8Decoder decoder = new Utf8Decoder();

        @Override
        String decode(ByteBuffer chunk) {
            return decoder.decode(chunk);
        }

        @Override
        String flush() {
            return decoder.flush();
        }
    }

    private static final class Other extends TextDecoding {
        private final CharsetDecoder decoder;
        /** The bytes of an unfinished character, carried to the next chunk; empty between characters. */
        private ByteBuffer carried = ByteBuffer.allocate(0);

        Other(Charset charset) {
            decoder = charset.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(CodingErrorAction.REPLACE);
        }

        @Override
        String decode(ByteBuffer chunk) {
            ByteBuffer in = chunk.duplicate();
            if (carried.hasRemaining()) {
                in = ByteBuffer.allocate(carried.remaining() + in.remaining()).put(carried).put(in).flip();
            }
            CharBuffer out = CharBuffer.allocate((int) (in.remaining() * (double) decoder.maxCharsPerByte()) + 2);
            CoderResult result = decoder.decode(in, out, false);
            if (result.isOverflow()) {
                throw new IllegalStateException("decoder overflowed a buffer sized for its maximum: " + decoder.charset());
            }
            carried = ByteBuffer.allocate(in.remaining()).put(in).flip();
            return out.flip().toString();
        }

        @Override
        String flush() {
            CharBuffer out = CharBuffer.allocate(carried.remaining() * 2 + 8);
            decoder.decode(carried, out, true);
            decoder.flush(out);
            decoder.reset();
            carried = ByteBuffer.allocate(0);
            return out.flip().toString();
        }
    }
}
