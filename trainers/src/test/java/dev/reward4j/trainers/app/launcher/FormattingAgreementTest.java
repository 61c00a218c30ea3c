package dev.reward4j.trainers.app.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reward4j.core.data.Message;
import dev.reward4j.core.data.PairBatch;
import dev.reward4j.core.data.PairCollator;
import dev.reward4j.core.data.ReadOptions;
import dev.reward4j.core.data.TokenizedPair;
import dev.reward4j.core.data.TrlFormat;
import dev.reward4j.core.model.DecoderModel;
import dev.reward4j.core.model.ModelHead;
import dev.reward4j.core.model.ModelOptions;
import dev.reward4j.core.pipeline.DataPipeline;
import dev.reward4j.core.testing.Fixtures;
import dev.reward4j.core.text.TextEncoder;
import dev.reward4j.trainers.RewardScorer;
import dev.reward4j.trainers.ScoreInput;
import dev.reward4j.trainers.config.DataSection;
import dev.reward4j.trainers.eval.HeldOutPairs;
import dev.reward4j.trainers.eval.ModelTextScorer;
import dev.reward4j.trainers.eval.ScoringRequest;
import dev.reward4j.trainers.optim.Gradients;
import dev.reward4j.trainers.run.TrainRun;
import dev.reward4j.trainers.step.RewardPairsStep;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * One formatting path: the rewards training computes for a pair's rows, {@code reward4j eval}'s
 * per-pair scores, {@code reward4j score}'s per-row rewards and the library's {@link RewardScorer}
 * agree on the same rows, written as plain strings (kept plain: no chat template, though the
 * fixture tokenizer has one) and as conversations (chat template).
 */
class FormattingAgreementTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String[][] ROWS = {
        {"What is 2 + 2?", " 4", " 5"},
        {"Name a primary colour.", " Red.", " Purple, I think."},
        {"Is the sky blue?", " Yes, on a clear day.", " No."},
    };

    @TempDir Path dir;
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();

    int run(String... args) {
        return Reward4j.run(
                args,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    static Object text(String s, String role, boolean conversational) {
        return conversational ? List.of(Map.of("role", role, "content", s)) : s;
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void trainTimeRewardsEvalScoreAndTheScorerAgree(boolean conversational) throws IOException {
        Path model = Fixtures.hf("llama-rm");
        Path tokenizer = Fixtures.hf("tokenizer");
        Path pairs = dir.resolve("pairs.jsonl");
        Path rows = dir.resolve("rows.jsonl");
        List<String> pairLines = new ArrayList<>();
        List<String> rowLines = new ArrayList<>();
        List<ScoreInput> inputs = new ArrayList<>();
        for (String[] r : ROWS) {
            pairLines.add(
                    JSON.writeValueAsString(
                            Map.of(
                                    "prompt", text(r[0], "user", conversational),
                                    "chosen", text(r[1], "assistant", conversational),
                                    "rejected", text(r[2], "assistant", conversational))));
            for (int k = 1; k <= 2; k++) {
                rowLines.add(
                        JSON.writeValueAsString(
                                Map.of(
                                        "prompt", text(r[0], "user", conversational),
                                        "response", text(r[k], "assistant", conversational))));
                inputs.add(
                        conversational
                                ? ScoreInput.conversation(List.of(Message.user(r[0])), r[k])
                                : ScoreInput.of(r[0], r[k]));
            }
        }
        Files.write(pairs, pairLines);
        Files.write(rows, rowLines);

        // 1. the rewards training computes: the training pipeline, collator and reward function
        double[] trained = new double[2 * ROWS.length];
        try (TextEncoder encoder = TextEncoder.load(tokenizer);
                DecoderModel m =
                        DecoderModel.load(
                                model, ModelHead.REWARD, ModelOptions.defaults(), tokenizer)) {
            List<TokenizedPair> tokenized =
                    DataPipeline.pairs(
                                    pairs,
                                    TrlFormat.standard(),
                                    encoder,
                                    DataSection.defaults().truncationPolicy(),
                                    ReadOptions.defaults())
                            .examples();
            PairCollator collator = new PairCollator(TrainRun.padding(encoder));
            HeldOutPairs.Scores s =
                    HeldOutPairs.score(
                            tokenized,
                            collator::collate,
                            (PairBatch b) -> RewardPairsStep.rewards(m, b),
                            m.manager(),
                            2);
            for (int i = 0; i < ROWS.length; i++) {
                trained[2 * i] = s.chosen()[i];
                trained[2 * i + 1] = s.rejected()[i];
            }
        }

        // 2. reward4j eval on the pairs
        Path heldOut = dir.resolve("eval");
        assertEquals(
                0,
                run(
                        "eval",
                        "--model",
                        model.toString(),
                        "--tokenizer",
                        tokenizer.toString(),
                        "--data",
                        pairs.toString(),
                        "--output",
                        heldOut.toString(),
                        "--batch-size",
                        "3"),
                err.toString());
        List<String> evalLines = Files.readAllLines(heldOut.resolve("heldout-scores.jsonl"));
        // 3. reward4j score on the rows
        Path scored = dir.resolve("scored.jsonl");
        assertEquals(
                0,
                run(
                        "score",
                        "--model",
                        model.toString(),
                        "--tokenizer",
                        tokenizer.toString(),
                        "--input",
                        rows.toString(),
                        "--output",
                        scored.toString(),
                        "--batch-size",
                        "4"),
                err.toString());
        List<String> scoreLines = Files.readAllLines(scored);
        // 4. the library's scorer
        double[] api;
        try (RewardScorer scorer =
                RewardScorer.builder(model).tokenizer(tokenizer).batchSize(5).build()) {
            api = scorer.score(inputs);
        }

        assertEquals(ROWS.length, evalLines.size());
        assertEquals(2 * ROWS.length, scoreLines.size());
        for (int i = 0; i < ROWS.length; i++) {
            JsonNode e = JSON.readTree(evalLines.get(i));
            assertEquals(trained[2 * i], e.get("chosen").asDouble(), 1e-5, "eval chosen " + i);
            assertEquals(trained[2 * i + 1], e.get("rejected").asDouble(), 1e-5, "eval rej " + i);
        }
        for (int j = 0; j < 2 * ROWS.length; j++) {
            double written = JSON.readTree(scoreLines.get(j)).get("reward").asDouble();
            assertEquals(trained[j], written, 1e-5, "score row " + j);
            assertEquals(trained[j], api[j], 1e-5, "scorer input " + j);
        }

        // the RewardBench encoding (chat template always) is another protocol: on plain rows it
        // gives other rewards, which is what score gave before it shared training's formatting
        if (!conversational) {
            try (TextEncoder encoder = TextEncoder.load(tokenizer);
                    DecoderModel m =
                            DecoderModel.load(
                                    model, ModelHead.REWARD, ModelOptions.defaults(), tokenizer)) {
                ModelTextScorer templated =
                        new ModelTextScorer(encoder, m::scores, m.manager(), 2048, 0);
                double[] t =
                        Gradients.withGradModeOff(
                                () ->
                                        templated.score(
                                                List.of(
                                                        new ScoringRequest(
                                                                "0",
                                                                0,
                                                                List.of(Message.user(ROWS[0][0])),
                                                                ROWS[0][1]))));
                assertTrue(Math.abs(t[0] - trained[0]) > 1e-3, t[0] + " vs " + trained[0]);
            }
        }
    }
}
