package dev.reward4j.core.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Locates the golden HF fixtures copied into {@code core/src/test/resources/fixtures/hf} (see the
 * README there).
 *
 * <p>The root pom sets {@code -Dreward4j.fixtures}; without it the folder is searched relative to
 * the working directory (module or project root).
 */
public final class Fixtures {
    private Fixtures() {}

    /** The {@code fixtures/hf} directory. */
    public static Path hf() {
        String prop = System.getProperty("reward4j.fixtures");
        if (prop != null && Files.isDirectory(Paths.get(prop))) {
            return Paths.get(prop);
        }
        for (String candidate :
                new String[] {
                    "core/src/test/resources/fixtures/hf",
                    "../core/src/test/resources/fixtures/hf",
                    "src/test/resources/fixtures/hf"
                }) {
            Path p = Paths.get(candidate);
            if (Files.isDirectory(p)) {
                return p.toAbsolutePath().normalize();
            }
        }
        throw new IllegalStateException(
                "fixtures: cannot find fixtures/hf (reward4j.fixtures="
                        + prop
                        + "); run the tests through Maven from the project root");
    }

    /** A file or directory under {@code fixtures/hf}, e.g. {@code hf("llama-rm")}. */
    public static Path hf(String relative) {
        Path p = hf().resolve(relative);
        if (!Files.exists(p)) {
            throw new IllegalStateException("fixtures: missing " + p);
        }
        return p;
    }
}
