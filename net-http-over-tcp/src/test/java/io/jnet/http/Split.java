package io.jnet.http;

import io.jnet.testkit.ScriptedResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Ways to cut a byte stream into reads: the parser must give the same result for every one. */
enum Split {
    ALL_AT_ONCE,
    ONE_BYTE_EACH,
    RANDOM;

    /** The same cut of a scripted server's response, as the server writes it (RANDOM with seed 42). */
    ScriptedResponse applyTo(ScriptedResponse response) {
        return switch (this) {
            case ALL_AT_ONCE -> response;
            case ONE_BYTE_EACH -> response.byteByByte();
            case RANDOM -> response.randomWrites(42);
        };
    }

    /** The cut of {@code bytes}; RANDOM is seeded so a failure can be replayed. */
    List<byte[]> cut(byte[] bytes, long seed) {
        List<byte[]> parts = new ArrayList<>();
        switch (this) {
            case ALL_AT_ONCE -> parts.add(bytes.clone());
            case ONE_BYTE_EACH -> {
                for (byte b : bytes) {
                    parts.add(new byte[] {b});
                }
            }
            case RANDOM -> {
                Random random = new Random(seed);
                int i = 0;
                while (i < bytes.length) {
                    int n = Math.min(bytes.length - i, 1 + random.nextInt(12));
                    byte[] part = new byte[n];
                    System.arraycopy(bytes, i, part, 0, n);
                    parts.add(part);
                    i += n;
                }
            }
        }
        return parts;
    }
}
