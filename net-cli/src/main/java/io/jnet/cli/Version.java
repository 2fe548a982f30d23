package io.jnet.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The version of jnet this jar was built from, as Maven filtered it into {@code version.properties}. */
final class Version {
    private Version() {
    }

    /** {@code 0.1.0-SNAPSHOT}, or {@code unknown} when run from classes that were not filtered. */
    static String get() {
        try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            throw new UncheckedIOException("reading io/jnet/cli/version.properties from the jnet jar", e);
        }
    }
}
