package dev.reward4j.trainers.app.launcher;

import dev.reward4j.core.testing.Fixtures;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Helpers of the launcher tests: a directory, the streams, tiny preference files and configs. */
final class Runs {
    final Path dir;
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();

    Runs(Path dir) {
        this.dir = dir;
    }

    /** Runs a command with fresh streams; returns the exit code. */
    int run(String... args) {
        out.reset();
        err.reset();
        return Reward4j.run(
                args,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    static final String[] WORDS = {
        "good", "great", "fine", "bad", "awful", "poor", "the", "answer", "is", "clear", "wrong"
    };

    /** {@code n} TRL pairs whose chosen responses use good words. */
    Path prefs(String name, int n, long seed) throws IOException {
        Random r = new Random(seed);
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            lines.add(
                    String.format(
                            "{\"prompt\": \"question %d: %s?\", \"chosen\": \"%s answer\","
                                    + " \"rejected\": \"%s\"}",
                            i,
                            WORDS[r.nextInt(WORDS.length)],
                            WORDS[r.nextInt(3)],
                            WORDS[3 + r.nextInt(3)]));
        }
        Path p = dir.resolve(name);
        Files.write(p, lines);
        return p;
    }

    /** A Bradley-Terry run of the llama-rm fixture: 4 pairs per step, checkpoints every 2. */
    String rmYaml(Path train, Path output, int steps) {
        return String.join(
                "\n",
                "model: {path: "
                        + Fixtures.hf("llama-rm")
                        + ", tokenizer: "
                        + Fixtures.hf("tokenizer")
                        + "}",
                "data: {train: " + train + ", max_length: 64, batch_size: 4}",
                "objective: {type: bt}",
                "optim: {lr: 1.0e-3}",
                "train: {max_steps: " + steps + ", log_every: 1, output_dir: " + output + "}",
                "checkpoint: {every: 2, keep_last: 2}",
                "");
    }

    Path config(String name, String yaml) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, yaml);
        return p;
    }
}
