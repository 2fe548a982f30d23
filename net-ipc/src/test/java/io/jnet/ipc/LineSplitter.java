package io.jnet.ipc;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Test helper: turns DATA chunks, split anywhere (even inside a UTF-8 character), into whole lines.
 * Splitting on the byte {@code '\n'} is safe in UTF-8, which never uses it inside a character.
 * Confined to one socket's loop thread.
 */
final class LineSplitter implements Consumer<ByteBuffer> {
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
    private final Consumer<String> onLine;

    LineSplitter(Consumer<String> onLine) {
        this.onLine = onLine;
    }

    @Override
    public void accept(ByteBuffer chunk) {
        while (chunk.hasRemaining()) {
            byte b = chunk.get();
            if (b == '\n') {
                onLine.accept(pending.toString(StandardCharsets.UTF_8));
                pending.reset();
            } else {
                pending.write(b);
            }
        }
    }
}
