package dev.reward4j.trainers.app.spark;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Generated test corpora: rows to score and preference pairs, plain and conversational, with a few
 * rows that the pipeline must count (too long, empty response, identical sides, blank lines).
 */
final class Corpus {
    private static final String[] WORDS = {
        "the", "cat", "sat", "on", "a", "mat", "and", "dog", "ran", "to", "see", "two", "plus",
        "three", "is", "five", "what", "why", "blue", "sky", "sun", "big", "small", "red"
    };

    private Corpus() {}

    static String words(SplittableRandom r, int min, int max) {
        int n = min + r.nextInt(max - min + 1);
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                b.append(' ');
            }
            b.append(WORDS[r.nextInt(WORDS.length)]);
        }
        return b.toString();
    }

    static String q(String s) {
        return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    static String conversation(String user) {
        return "[{\"role\":\"user\",\"content\":" + q(user) + "}]";
    }

    /**
     * {@code n} rows to score: prompts repeat (groups of 4 responses per prompt), every 5th row is
     * a conversation, row 13 has an empty response (invalid), row 17 is too long for {@code
     * drop}-free truncation to leave unchanged, and there are blank lines.
     */
    static Path scoreRows(Path dir, int n) throws IOException {
        SplittableRandom r = new SplittableRandom(7);
        List<String> lines = new ArrayList<>();
        String prompt = null;
        for (int i = 0; i < n; i++) {
            if (i % 4 == 0) {
                prompt = words(r, 3, 8);
            }
            String response = i == 13 ? "" : words(r, 2, i == 17 ? 90 : 12);
            String p = i % 5 == 0 ? conversation(prompt) : q(prompt);
            lines.add(
                    "{\"id\":\"s"
                            + i
                            + "\",\"prompt\":"
                            + p
                            + ",\"response\":"
                            + q(response)
                            + "}");
            if (i == 100 || i == 1500) {
                lines.add("   ");
            }
        }
        Path f = dir.resolve("score.jsonl");
        Files.write(f, lines, StandardCharsets.UTF_8);
        return f;
    }

    /**
     * {@code n} TRL pairs: every 3rd a conversation, row 11 with chosen equal to rejected
     * (invalid), row 19 very long (truncated), a blank line.
     */
    static Path pairs(Path dir, String name, String idPrefix, int n) throws IOException {
        SplittableRandom r = new SplittableRandom(11);
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String prompt = words(r, 3, i == 19 ? 80 : 10);
            String chosen = words(r, 2, 10);
            String rejected = i == 11 ? chosen : words(r, 2, 10);
            String row =
                    i % 3 == 0
                            ? "{\"id\":\""
                                    + idPrefix
                                    + i
                                    + "\",\"prompt\":"
                                    + conversation(prompt)
                                    + ",\"chosen\":[{\"role\":\"assistant\",\"content\":"
                                    + q(chosen)
                                    + "}],\"rejected\":[{\"role\":\"assistant\",\"content\":"
                                    + q(rejected)
                                    + "}]}"
                            : "{\"id\":\""
                                    + idPrefix
                                    + i
                                    + "\",\"prompt\":"
                                    + q(prompt)
                                    + ",\"chosen\":"
                                    + q(" " + chosen)
                                    + ",\"rejected\":"
                                    + q(" " + rejected)
                                    + "}";
            lines.add(row);
            if (i == 1000) {
                lines.add("");
            }
        }
        Path f = dir.resolve(name);
        Files.write(f, lines, StandardCharsets.UTF_8);
        return f;
    }
}
