package dev.reward4j.trainers.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Writes an evaluation's two files: one JSON line per scored item and the indented result JSON. */
final class ResultFiles {
    private ResultFiles() {}

    /**
     * Creates {@code dir} and writes {@code lines} (one compact JSON object per line) into {@code
     * scoresFile} and {@code result} (indented) into {@code resultFile}.
     *
     * @param component error prefix, e.g. {@code rewardbench}
     * @return the result file
     */
    static Path write(
            Path dir,
            String scoresFile,
            List<ObjectNode> lines,
            String resultFile,
            ObjectNode result,
            String component) {
        ObjectMapper lineMapper = new ObjectMapper();
        try {
            Files.createDirectories(dir);
            try (BufferedWriter out =
                    Files.newBufferedWriter(dir.resolve(scoresFile), StandardCharsets.UTF_8)) {
                for (ObjectNode n : lines) {
                    out.write(lineMapper.writeValueAsString(n));
                    out.newLine();
                }
            }
            Path file = dir.resolve(resultFile);
            new ObjectMapper()
                    .enable(SerializationFeature.INDENT_OUTPUT)
                    .writeValue(file.toFile(), result);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(component + ": cannot write results to " + dir, e);
        }
    }
}
