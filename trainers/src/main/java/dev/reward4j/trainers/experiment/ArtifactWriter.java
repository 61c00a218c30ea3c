package dev.reward4j.trainers.experiment;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Writes an experiment's artifacts into its {@code artifacts/} directory and remembers their names
 * for {@code result.json}.
 */
public final class ArtifactWriter {
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path dir;
    private final Set<String> names = new LinkedHashSet<>();

    ArtifactWriter(Path dir) {
        this.dir = dir;
    }

    /**
     * A path for artifact {@code name} (a relative file or directory name), registered as an
     * artifact; parent directories are created. Use it for files written by other code (a saved
     * model, an HTML report).
     */
    public Path path(String name) {
        Path p = dir.resolve(name).normalize();
        if (!p.startsWith(dir) || p.equals(dir)) {
            throw new IllegalArgumentException(
                    "ArtifactWriter: name '"
                            + name
                            + "' escapes the artifact directory; expected a relative path inside"
                            + " it");
        }
        try {
            Files.createDirectories(p.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException("ArtifactWriter: cannot create " + p.getParent(), e);
        }
        names.add(dir.relativize(p).toString());
        return p;
    }

    /**
     * Writes {@code value} as indented JSON (Jackson) to artifact {@code name}; returns its path.
     */
    public Path json(String name, Object value) {
        Path p = path(name);
        try {
            JSON.writeValue(p.toFile(), value);
        } catch (IOException e) {
            throw new UncheckedIOException("ArtifactWriter: cannot write " + p, e);
        }
        return p;
    }

    /** Writes {@code text} (UTF-8) to artifact {@code name}; returns its path. */
    public Path text(String name, String text) {
        Path p = path(name);
        try {
            Files.writeString(p, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("ArtifactWriter: cannot write " + p, e);
        }
        return p;
    }

    /** The artifact directory. */
    public Path directory() {
        return dir;
    }

    /**
     * Names of the registered artifacts, relative to {@link #directory()}, in registration order.
     */
    public List<String> names() {
        return new ArrayList<>(names);
    }
}
