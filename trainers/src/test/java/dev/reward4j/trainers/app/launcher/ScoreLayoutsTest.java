package dev.reward4j.trainers.app.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reward4j.core.data.PairBatch;
import dev.reward4j.core.data.PairCollator;
import dev.reward4j.core.data.ReadOptions;
import dev.reward4j.core.data.TokenizedPair;
import dev.reward4j.core.data.TrlFormat;
import dev.reward4j.core.heads.HeadLayout;
import dev.reward4j.core.heads.MixtureHead;
import dev.reward4j.core.heads.PreferenceEmbeddingHead;
import dev.reward4j.core.model.DecoderModel;
import dev.reward4j.core.model.ModelHead;
import dev.reward4j.core.model.ModelOptions;
import dev.reward4j.core.pipeline.DataPipeline;
import dev.reward4j.core.text.TextEncoder;
import dev.reward4j.trainers.arm.AutoregressiveRewardPairsStep;
import dev.reward4j.trainers.config.DataSection;
import dev.reward4j.trainers.gpm.GeneralPreferenceScorer;
import dev.reward4j.trainers.metrics.HostArrays;
import dev.reward4j.trainers.optim.Gradients;
import dev.reward4j.trainers.pluralistic.MixtureScorer;
import dev.reward4j.trainers.run.TrainRun;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BiFunction;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code reward4j score} reads every model reward4j trains as its {@code reward4j-head.json} says:
 * pair rows get the preference probability the training objective defines (checked against the
 * training path's scorer on the training pipeline's batch), response rows the layout's reward and
 * outputs, step rows a process reward model's step rewards. Each model is trained for two steps
 * through {@code reward4j train} on the tiny causal-LM fixture.
 */
class ScoreLayoutsTest {
    @TempDir Path dir;

    LauncherRuns runs;
    Path pairs;

    @BeforeEach
    void setUp() throws IOException {
        runs = new LauncherRuns(dir);
        pairs = runs.labelledPairs(new double[] {1, 1, 1, 1, 1, 1, 1, 1});
    }

    /** Trains {@code objective} for two steps; the model directory. */
    Path train(String objective, String name) throws IOException {
        runs.train("{train: " + pairs + ", max_length: 64, batch_size: 4}", objective, name);
        return dir.resolve(name).resolve("final");
    }

    /**
     * {@code f} of the training pipeline's one batch of the pair file (as {@code train} reads,
     * tokenizes and collates it), with the model loaded with {@code head}.
     */
    double[] onTrainingBatch(
            Path model, ModelHead head, BiFunction<DecoderModel, PairBatch, double[]> f)
            throws IOException {
        try (TextEncoder encoder = TextEncoder.load(model);
                DecoderModel m = DecoderModel.load(model, head, ModelOptions.defaults(), model)) {
            List<TokenizedPair> tokenized =
                    DataPipeline.pairs(
                                    pairs,
                                    TrlFormat.standard(),
                                    encoder,
                                    DataSection.defaults().truncationPolicy(),
                                    ReadOptions.defaults())
                            .examples();
            try (ai.djl.ndarray.NDManager sub = m.manager().newSubManager();
                    PairBatch batch =
                            new PairCollator(TrainRun.padding(encoder)).collate(tokenized, sub)) {
                return Gradients.withGradModeOff(() -> f.apply(m, batch));
            }
        }
    }

    static double[] column(List<JsonNode> rows, String field) {
        return rows.stream().mapToDouble(r -> r.path(field).asDouble(Double.NaN)).toArray();
    }

    static double[] vector(JsonNode row, String field) {
        double[] v = new double[row.path(field).size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = row.path(field).get(i).asDouble();
        }
        return v;
    }

    static void assertClose(double[] expected, double[] actual, double tol) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], tol, "index " + i);
        }
    }

    @Test
    void mixturePairsGetTheMixtureProbabilityAndResponsesTheRouterWeightedReward()
            throws IOException {
        Path model = train("{type: mixture, heads: 3}", "mixture");
        assertEquals(new HeadLayout.Mixture(3), HeadLayout.read(model).orElseThrow());
        MixtureHead head = new MixtureHead(3);
        double[] expected =
                onTrainingBatch(
                        model,
                        head.modelHead(),
                        (m, b) -> new MixtureScorer(m, head, null).probability(b));
        assertClose(expected, column(runs.score(model, pairs), "preference_probability"), 1e-5);
        for (JsonNode row : runs.score(model, runs.responses(pairs))) {
            double[] w = vector(row, "weights");
            double[] r = vector(row, "rewards");
            assertEquals(3, w.length, row.toString());
            double sum = 0;
            double weighted = 0;
            for (int k = 0; k < 3; k++) {
                sum += w[k];
                weighted += w[k] * r[k];
            }
            assertEquals(1, sum, 1e-9, row.toString());
            assertEquals(weighted, row.path("reward").asDouble(), 1e-9, row.toString());
        }
    }

    @Test
    void gpmPairsGetTheGpmProbabilityAndResponsesAUnitEmbeddingButNoReward() throws IOException {
        Path model = train("{type: gpm, tau: 0.5, k: 2, gated: true}", "gpm");
        PreferenceEmbeddingHead head = new PreferenceEmbeddingHead(2, true);
        double[] expected =
                onTrainingBatch(
                        model,
                        head.modelHead(),
                        (m, b) ->
                                new GeneralPreferenceScorer(m, head, 0.5).preferenceProbability(b));
        List<JsonNode> scored = runs.score(model, pairs);
        assertClose(expected, column(scored, "preference_probability"), 1e-5);
        assertFalse(scored.get(0).has("chosen_reward"), scored.get(0).toString());
        for (JsonNode row : runs.score(model, runs.responses(pairs))) {
            assertFalse(row.has("reward"), row.toString());
            double[] e = vector(row, "embedding");
            assertEquals(4, e.length);
            assertEquals(1, Math.sqrt(e[0] * e[0] + e[1] * e[1] + e[2] * e[2] + e[3] * e[3]), 1e-6);
            assertEquals(2, row.path("gate_logits").size(), row.toString());
        }
    }

    @Test
    void genarmRewardsAreBetaTimesTheSummedResponseLogProbs() throws IOException {
        Path model = train("{type: genarm, beta_r: 0.5}", "genarm");
        double[] logps =
                onTrainingBatch(
                        model,
                        ModelHead.LM,
                        (m, b) -> HostArrays.of(AutoregressiveRewardPairsStep.sequenceLogps(m, b)));
        List<JsonNode> scored = runs.score(model, pairs);
        int n = scored.size();
        for (int i = 0; i < n; i++) {
            JsonNode row = scored.get(i);
            assertEquals(
                    0.5 * logps[i], row.path("chosen_reward").asDouble(), 1e-4, row.toString());
            assertEquals(
                    0.5 * logps[n + i],
                    row.path("rejected_reward").asDouble(),
                    1e-4,
                    row.toString());
            double d =
                    row.path("chosen_reward").asDouble() - row.path("rejected_reward").asDouble();
            assertEquals(
                    1 / (1 + Math.exp(-d)),
                    row.path("preference_probability").asDouble(),
                    1e-9,
                    row.toString());
        }
    }

    @Test
    void ensembleHeadsRewardIsTheChosenAggregateWithTheMembersSpread() throws IOException {
        Path model = train("{type: ensemble-heads, heads: 3, bootstrap: true}", "ensemble");
        List<JsonNode> mean = runs.score(model, runs.responses(pairs));
        List<JsonNode> min = runs.score(model, runs.responses(pairs), "--aggregate", "min");
        for (int i = 0; i < mean.size(); i++) {
            double[] r = vector(mean.get(i), "rewards");
            double avg = (r[0] + r[1] + r[2]) / 3;
            double var = 0;
            for (double v : r) {
                var += (v - avg) * (v - avg);
            }
            assertEquals(avg, mean.get(i).path("reward").asDouble(), 1e-9);
            assertEquals(
                    Math.sqrt(var / 3), mean.get(i).path("uncertainty").get(0).asDouble(), 1e-9);
            assertEquals(
                    Math.min(r[0], Math.min(r[1], r[2])),
                    min.get(i).path("reward").asDouble(),
                    1e-9);
        }
        assertEquals(
                2,
                runs.run(
                        "score",
                        "--model",
                        model.toString(),
                        "--input",
                        pairs.toString(),
                        "--output",
                        dir.resolve("x.jsonl").toString(),
                        "--aggregate",
                        "mode"));
        assertTrue(runs.err.toString().contains("--aggregate"), runs.err.toString());
    }

    @Test
    void plainModelPairsGetSigmoidOfTheRewardMarginAndResponseRowsOnlyAReward() throws IOException {
        Path model = train("{type: bt}", "bt");
        assertTrue(HeadLayout.read(model).isEmpty(), "a plain model has no layout file");
        List<JsonNode> scored = runs.score(model, pairs);
        List<JsonNode> single = runs.score(model, runs.responses(pairs));
        for (int i = 0; i < scored.size(); i++) {
            JsonNode p = scored.get(i);
            assertEquals(
                    single.get(2 * i).path("reward").asDouble(),
                    p.path("chosen_reward").asDouble(),
                    1e-6);
            assertEquals(
                    single.get(2 * i + 1).path("reward").asDouble(),
                    p.path("rejected_reward").asDouble(),
                    1e-6);
            double d = p.path("chosen_reward").asDouble() - p.path("rejected_reward").asDouble();
            assertEquals(1 / (1 + Math.exp(-d)), p.path("preference_probability").asDouble(), 1e-9);
        }
        // response rows of a plain model keep exactly one new field
        assertEquals(3, single.get(0).size(), single.get(0).toString());
    }

    @Test
    void processRewardModelsScoreEveryStepAndAggregate() throws IOException {
        Path train = runs.stepRows();
        runs.train(
                "{train: " + train + ", max_length: 64, batch_size: 4}",
                "{type: prm, separator: \" ;\"}",
                "prm");
        Path model = dir.resolve("prm/final");
        List<JsonNode> min = runs.score(model, train);
        List<JsonNode> product = runs.score(model, train, "--step-aggregation", "product");
        for (int i = 0; i < min.size(); i++) {
            double[] s = vector(min.get(i), "step_rewards");
            assertEquals(2, s.length, min.get(i).toString());
            assertTrue(s[0] > 0 && s[0] < 1 && s[1] > 0 && s[1] < 1, min.get(i).toString());
            assertEquals(Math.min(s[0], s[1]), min.get(i).path("reward").asDouble(), 1e-12);
            assertEquals(s[0] * s[1], product.get(i).path("reward").asDouble(), 1e-12);
        }
        // eval on the step-annotated file: its step accuracy is that of score's step rewards
        Path evalDir = dir.resolve("eval-prm");
        assertEquals(
                0,
                runs.run(
                        "eval",
                        "--model",
                        model.toString(),
                        "--data",
                        train.toString(),
                        "--output",
                        evalDir.toString()),
                runs.err.toString());
        JsonNode summary =
                new ObjectMapper().readTree(evalDir.resolve("summary.json").toFile()).path("eval");
        double right = 0;
        int wrongChains = 0;
        int localised = 0;
        for (int i = 0; i < min.size(); i++) {
            double[] s = vector(min.get(i), "step_rewards");
            boolean[] labels = {true, i % 2 == 0};
            for (int k = 0; k < 2; k++) {
                right += (s[k] >= 0.5) == labels[k] ? 1 : 0;
            }
            if (!labels[1]) {
                wrongChains++;
                int first = s[0] < 0.5 ? 0 : s[1] < 0.5 ? 1 : -1;
                localised += first == 1 ? 1 : 0;
            }
        }
        assertEquals(16, summary.path("prm/steps").asInt(), summary.toString());
        assertEquals(right / 16, summary.path("prm/step_accuracy").asDouble(), 1e-12);
        assertEquals(
                (double) localised / wrongChains,
                summary.path("prm/first_error_accuracy").asDouble(),
                1e-12);
        assertEquals(8, LauncherRuns.jsonl(evalDir.resolve("heldout-steps.jsonl")).size());
        // step rows need a process reward model
        Path bt = train("{type: bt}", "bt-steps");
        assertEquals(
                2,
                runs.run(
                        "score",
                        "--model",
                        bt.toString(),
                        "--input",
                        train.toString(),
                        "--output",
                        dir.resolve("y.jsonl").toString()),
                runs.err.toString());
        assertTrue(runs.err.toString().contains("objective.type prm"), runs.err.toString());
    }

    /** {@code reward4j eval} of {@code model} on the pair file: its result metrics. */
    JsonNode eval(Path model) throws IOException {
        Path out = dir.resolve("eval-" + System.nanoTime());
        assertEquals(
                0,
                runs.run(
                        "eval",
                        "--model",
                        model.toString(),
                        "--data",
                        pairs.toString(),
                        "--output",
                        out.toString()),
                runs.err.toString());
        return new ObjectMapper()
                .readTree(out.resolve("heldout-result.json").toFile())
                .path("metrics");
    }

    @Test
    void evalOfModelsWithoutAScalarRewardIsTheAccuracyAndNllOfTheirProbability()
            throws IOException {
        for (String[] objective :
                new String[][] {
                    {"{type: gpm, tau: 0.5, k: 2, gated: true}", "gpm-eval"},
                    {"{type: mixture, heads: 2}", "mixture-eval"},
                    {"{type: genarm, beta_r: 0.5}", "genarm-eval"}
                }) {
            Path model = train(objective[0], objective[1]);
            double[] p = column(runs.score(model, pairs), "preference_probability");
            double right = 0;
            double nll = 0;
            for (double v : p) {
                right += v > 0.5 ? 1 : 0;
                nll -= Math.log(v);
            }
            JsonNode metrics = eval(model);
            assertEquals(right / p.length, metrics.path("rewards/accuracies").asDouble(), 1e-9);
            assertEquals(
                    nll / p.length, metrics.path("preference_nll").asDouble(), 1e-5, objective[1]);
        }
    }
}
