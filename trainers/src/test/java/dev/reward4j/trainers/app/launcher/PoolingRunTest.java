package dev.reward4j.trainers.app.launcher;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reward4j.core.data.PlainText;
import dev.reward4j.core.data.TokenizedSequence;
import dev.reward4j.core.model.DecoderModel;
import dev.reward4j.core.model.ModelHead;
import dev.reward4j.core.model.ModelOptions;
import dev.reward4j.core.model.RewardPooling;
import dev.reward4j.core.testing.Fixtures;
import dev.reward4j.core.text.TextEncoder;
import dev.reward4j.trainers.eval.PaddedSequences;
import dev.reward4j.trainers.optim.Gradients;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code model.pooling} end to end on a checkpoint whose {@code pad_token_id} equals {@code
 * eos_token_id} (the {@code llama-rm} fixture with {@code pad_token_id: 2}; the fixture tokenizer
 * appends EOS 2 to plain-text responses, so every training sequence ends with the pad id): train,
 * the saved notes, {@code eval} and {@code score} all use the same rule.
 */
class PoolingRunTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path dir;
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();

    int run(String... args) {
        return Reward4j.run(
                args,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    Path padIsEosModel() throws IOException {
        Path target = dir.resolve("pad-eos");
        Files.createDirectories(target);
        Path src = Fixtures.hf("llama-rm");
        ObjectNode config = (ObjectNode) JSON.readTree(src.resolve("config.json").toFile());
        assertEquals(2, config.get("eos_token_id").asInt());
        config.put("pad_token_id", 2);
        Files.writeString(target.resolve("config.json"), config.toPrettyString());
        Files.copy(src.resolve("model.safetensors"), target.resolve("model.safetensors"));
        return target;
    }

    Path prefs(String name, int n, int offset) throws IOException {
        String[] good = {"good answer", "great answer", "fine answer"};
        String[] bad = {"bad", "awful", "poor"};
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            lines.add(
                    String.format(
                            "{\"prompt\": \"question %d?\", \"chosen\": \"%s\", \"rejected\":"
                                    + " \"%s\"}",
                            i + offset, good[i % 3], bad[(i + 1) % 3]));
        }
        Path p = dir.resolve(name);
        Files.write(p, lines);
        return p;
    }

    @ParameterizedTest
    @ValueSource(strings = {"hf", "last-attended"})
    void trainingEvalAndScoreReadTheTokenTheConfiguredPoolingGives(String pooling)
            throws IOException {
        Path model = padIsEosModel();
        Path train = prefs("train.jsonl", 8, 0);
        Path eval = prefs("eval.jsonl", 5, 100);
        Path output = dir.resolve("run");
        Path cfg = dir.resolve("run.yaml");
        Files.writeString(
                cfg,
                String.join(
                        "\n",
                        "model: {path: "
                                + model
                                + ", tokenizer: "
                                + Fixtures.hf("tokenizer")
                                + ", pooling: "
                                + pooling
                                + "}",
                        "data: {train: " + train + ", eval: " + eval + ", batch_size: 4}",
                        "objective: {type: bt}",
                        "optim: {lr: 1.0e-3}",
                        "train: {max_steps: 2, log_every: 1, output_dir: " + output + "}",
                        "checkpoint: {every: 2}",
                        ""));
        assertEquals(0, run("train", "--config", cfg.toString()), err.toString());
        assertTrue(
                err.toString().contains("reward head pooling " + pooling + " (pad id 2)"),
                err.toString());
        // stated in run.json (the resolved config) and in the saved config.json
        JsonNode runJson =
                JSON.readTree(output.resolve("checkpoints/checkpoint-2/run.json").toFile());
        assertEquals(pooling, runJson.path("config").path("model").path("pooling").asText());
        JsonNode saved = JSON.readTree(output.resolve("final/config.json").toFile());
        assertEquals(pooling, saved.path(RewardPooling.CONFIG_KEY).asText());
        assertEquals(2, saved.path("pad_token_id").asInt());

        // eval of the data.eval file reads the recorded pooling: equal to the training eval
        JsonNode trained = null;
        for (String l : Files.readAllLines(output.resolve("metrics.jsonl"))) {
            JsonNode n = JSON.readTree(l);
            if (n.path("phase").asText().equals("eval")) {
                trained = n.path("values");
            }
        }
        Path heldOut = dir.resolve("heldout");
        assertEquals(
                0,
                run(
                        "eval",
                        "--model",
                        output.resolve("final").toString(),
                        "--data",
                        eval.toString(),
                        "--output",
                        heldOut.toString()),
                err.toString());
        JsonNode result = JSON.readTree(heldOut.resolve("heldout-result.json").toFile());
        for (String k : List.of("rewards/accuracies", "rewards/chosen", "rewards/rejected")) {
            assertEquals(
                    trained.path(k).asDouble(),
                    result.path("metrics").path(k).asDouble(),
                    1e-5,
                    k + ": " + trained + " vs " + result);
        }
        assertEquals(pooling + " (pad id 2)", result.path("run").path("pooling").asText());

        // score reads the recorded pooling too; the other rule gives other rewards here
        Path rows = dir.resolve("rows.jsonl");
        Files.writeString(
                rows,
                "{\"prompt\": \"q?\", \"response\": \"good answer\"}\n"
                        + "{\"prompt\": \"why?\", \"response\": \"bad\"}\n");
        Path scored = dir.resolve("scored.jsonl");
        assertEquals(
                0,
                run(
                        "score",
                        "--model",
                        output.resolve("final").toString(),
                        "--input",
                        rows.toString(),
                        "--output",
                        scored.toString()),
                err.toString());
        double[] written =
                Files.readAllLines(scored).stream()
                        .mapToDouble(
                                l -> {
                                    try {
                                        return JSON.readTree(l).get("reward").asDouble();
                                    } catch (IOException e) {
                                        throw new java.io.UncheckedIOException(e);
                                    }
                                })
                        .toArray();
        RewardPooling recorded = RewardPooling.parse(pooling);
        RewardPooling other =
                recorded == RewardPooling.HF ? RewardPooling.LAST_ATTENDED : RewardPooling.HF;
        double[] same = score(output.resolve("final"), recorded, rows);
        double[] different = score(output.resolve("final"), other, rows);
        assertArrayEquals(same, written, 1e-5);
        assertTrue(Math.abs(different[0] - written[0]) > 1e-4, different[0] + " vs " + written[0]);
    }

    /**
     * The two rows as training encodes them (plain prompt and response stay plain: {@code
     * TextEncoder.encode}), scored with the model loaded with {@code pooling}.
     */
    static double[] score(Path model, RewardPooling pooling, Path rows) {
        try (TextEncoder encoder = TextEncoder.load(model);
                DecoderModel m =
                        DecoderModel.load(
                                model,
                                ModelHead.REWARD,
                                ModelOptions.defaults().withPooling(pooling))) {
            List<TokenizedSequence> seqs =
                    List.of(
                            encoder.encode(new PlainText("q?"), new PlainText("good answer")),
                            encoder.encode(new PlainText("why?"), new PlainText("bad")));
            double[][] s =
                    Gradients.withGradModeOff(
                            () ->
                                    PaddedSequences.scores(
                                            seqs, encoder.padId(), m::scores, m.manager()));
            return new double[] {s[0][0], s[1][0]};
        }
    }
}
