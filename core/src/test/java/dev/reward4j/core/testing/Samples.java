package dev.reward4j.core.testing;

import dev.reward4j.core.data.DataReader;
import dev.reward4j.core.data.Format;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.util.List;

/** Locates the sample data files in {@code src/test/resources/data}. */
public final class Samples {
    private Samples() {}

    public static Path of(String name) {
        URL url = Samples.class.getResource("/data/" + name);
        if (url == null) {
            throw new IllegalStateException("missing test resource data/" + name);
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    public static <T> List<T> read(String name, Format<T> format) {
        return DataReader.readAll(of(name), format);
    }
}
