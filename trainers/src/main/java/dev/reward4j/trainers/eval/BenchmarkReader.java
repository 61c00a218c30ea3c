package dev.reward4j.trainers.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reward4j.core.data.Message;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Reads a local JSONL file with the fields of the RewardBench datasets ({@code
 * allenai/reward-bench}, {@code allenai/reward-bench-2}), one row per line:
 *
 * <pre>{"id": "...", "subset": "...", "prompt": "text" | [{"role": "...", "content": "..."}],
 *  "chosen": "text" | ["text", ...], "rejected": "text" | ["text", ...], "num_correct": 1}</pre>
 *
 * <p>A string {@code chosen}/{@code rejected} is a v1 pair; lists are v2 best-of-N. {@code
 * num_correct} is optional (v2 Ties). A numeric {@code id} is read as its decimal text. Unknown
 * fields (e.g. {@code chosen_model}) are ignored. Blank lines are skipped. Errors name the file,
 * the line and the field.
 */
public final class BenchmarkReader {
    private static final ObjectMapper JSON = new ObjectMapper();

    private BenchmarkReader() {}

    /** Reads every row of {@code file}; ids must be unique. */
    public static List<BenchRow> read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("benchmark: cannot read " + file, e);
        }
        List<BenchRow> rows = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            String where = file + ":" + (i + 1);
            BenchRow row = parse(lines.get(i), where, i + 1);
            if (!ids.add(row.id())) {
                throw new IllegalArgumentException(
                        "benchmark: "
                                + where
                                + " field 'id': duplicate id '"
                                + row.id()
                                + "'; expected unique ids");
            }
            rows.add(row);
        }
        return rows;
    }

    static BenchRow parse(String line, String where, long lineNo) {
        JsonNode n;
        try {
            n = JSON.readTree(line);
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    "benchmark: "
                            + where
                            + " is not valid JSON ("
                            + e.getMessage()
                            + "); expected one JSON object per line",
                    e);
        }
        if (n == null || !n.isObject()) {
            throw new IllegalArgumentException("benchmark: " + where + " is not a JSON object");
        }
        String id = scalar(n, "id", where);
        String subset = scalar(n, "subset", where);
        List<Message> prompt = prompt(n.get("prompt"), where);
        JsonNode c = n.get("chosen");
        JsonNode r = n.get("rejected");
        List<String> chosen = texts(c, "chosen", where);
        List<String> rejected = texts(r, "rejected", where);
        boolean pairwise = c.isTextual() && r.isTextual();
        OptionalInt numCorrect = OptionalInt.empty();
        JsonNode nc = n.get("num_correct");
        if (nc != null && !nc.isNull()) {
            if (!nc.canConvertToInt() || !nc.isIntegralNumber() || nc.asInt() < 1) {
                throw new IllegalArgumentException(
                        "benchmark: "
                                + where
                                + " field 'num_correct' must be an integer >= 1 (got "
                                + nc
                                + ")");
            }
            numCorrect = OptionalInt.of(nc.asInt());
        }
        return new BenchRow(id, subset, prompt, chosen, rejected, numCorrect, pairwise, lineNo);
    }

    private static String scalar(JsonNode n, String field, String where) {
        JsonNode v = n.get(field);
        if (v == null || !(v.isTextual() || v.isIntegralNumber())) {
            throw new IllegalArgumentException(
                    "benchmark: "
                            + where
                            + " field '"
                            + field
                            + "' is missing or not a string/integer (got "
                            + v
                            + ")");
        }
        return v.asText();
    }

    private static List<Message> prompt(JsonNode p, String where) {
        if (p != null && p.isTextual()) {
            return List.of(new Message("user", p.asText()));
        }
        if (p != null && p.isArray() && p.size() > 0) {
            List<Message> turns = new ArrayList<>();
            for (int i = 0; i < p.size(); i++) {
                JsonNode t = p.get(i);
                JsonNode role = t.get("role");
                JsonNode content = t.get("content");
                if (role == null || !role.isTextual() || content == null || !content.isTextual()) {
                    throw new IllegalArgumentException(
                            "benchmark: "
                                    + where
                                    + " field 'prompt["
                                    + i
                                    + "]' must be {\"role\": string, \"content\": string} (got "
                                    + t
                                    + ")");
                }
                turns.add(new Message(role.asText(), content.asText()));
            }
            return turns;
        }
        throw new IllegalArgumentException(
                "benchmark: "
                        + where
                        + " field 'prompt' must be a string or a non-empty list of {role, content}"
                        + " (got "
                        + p
                        + ")");
    }

    private static List<String> texts(JsonNode v, String field, String where) {
        if (v != null && v.isTextual()) {
            return List.of(v.asText());
        }
        if (v != null && v.isArray() && v.size() > 0) {
            List<String> out = new ArrayList<>();
            for (int i = 0; i < v.size(); i++) {
                if (!v.get(i).isTextual()) {
                    throw new IllegalArgumentException(
                            "benchmark: "
                                    + where
                                    + " field '"
                                    + field
                                    + "["
                                    + i
                                    + "]' must be a string (got "
                                    + v.get(i)
                                    + ")");
                }
                out.add(v.get(i).asText());
            }
            return out;
        }
        throw new IllegalArgumentException(
                "benchmark: "
                        + where
                        + " field '"
                        + field
                        + "' must be a string or a non-empty list of strings (got "
                        + v
                        + ")");
    }
}
