package dev.reward4j.it.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.reward4j.losses.RewardModelObjective;
import dev.reward4j.trainers.experiment.RewardExperiment;
import dev.reward4j.trainers.experiment.RunContext;
import dev.reward4j.trainers.run.RunResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;

/**
 * A consumer's JUnit experiment, named by the README's convention ({@code ...ExperimentTest}) so
 * that Maven Surefire's default includes run it: this project's pom configures no includes.
 */
@RewardExperiment(seed = 11)
class ScoringExperimentTest {

    static Path fixtures() {
        Path fixtures =
                Path.of(
                        Objects.requireNonNull(
                                System.getProperty("reward4j.fixtures"),
                                "system property reward4j.fixtures (fixtures/hf directory) is not set"));
        assertTrue(Files.isDirectory(fixtures.resolve("llama-rm")), fixtures + "/llama-rm");
        return fixtures;
    }

    @Test
    void scoresTwoTextsWithTheFixtureRewardModel(RunContext run) {
        Path fixtures = fixtures();
        ScoreTwoTexts.Scores s =
                ScoreTwoTexts.score(
                        fixtures.resolve("llama-rm"),
                        fixtures.resolve("tokenizer"),
                        "What is 2 + 2?",
                        " 4",
                        " 5");
        run.metrics().put("chosen_reward", s.chosen());
        run.metrics().put("rejected_reward", s.rejected());
        run.metrics().put("bt_loss", s.bradleyTerryLoss());

        // closed form: BT loss = softplus(rejected - chosen) = log(1 + exp(-(chosen - rejected)))
        double d = s.chosen() - s.rejected();
        assertTrue(Double.isFinite(d), "rewards must be finite: " + s);
        assertEquals(Math.log1p(Math.exp(-d)), s.bradleyTerryLoss(), 1e-9);
        // the two responses differ, so their rewards differ; the same input scores the same on CPU
        assertTrue(d != 0.0, "two different responses got the same reward: " + s);
        assertEquals(
                s,
                ScoreTwoTexts.score(
                        fixtures.resolve("llama-rm"),
                        fixtures.resolve("tokenizer"),
                        "What is 2 + 2?",
                        " 4",
                        " 5"));
    }

    @Test
    void trainsARewardModelInItsOwnFreshRunDirectory(RunContext run) throws IOException {
        Path fixtures = fixtures();
        assertEquals("cpu", run.device()); // the name train.device accepts
        assertFalse(run.resume());
        Path data = run.outputDir().resolve("prefs.jsonl");
        Files.write(
                data,
                List.of(
                        "{\"prompt\": \"What is 2 + 2?\", \"chosen\": \" 4\", \"rejected\": \" 5\"}",
                        "{\"prompt\": \"Capital of France?\", \"chosen\": \" Paris.\","
                                + " \"rejected\": \" Lyon.\"}"));
        RunResult result =
                run.training(fixtures.resolve("llama-rm"))
                        .tokenizer(fixtures.resolve("tokenizer"))
                        .data(data)
                        .objective(RewardModelObjective.BradleyTerry.defaults())
                        .steps(2)
                        .batchSize(2)
                        .learningRate(1e-3)
                        .checkpointEvery(0)
                        .train();
        run.metrics().put("final_loss", result.finalTrain().get("loss"));
        assertEquals(2, result.loop().steps());
        assertTrue(Files.exists(result.modelDir().resolve("model.safetensors")));
        assertTrue(result.runDir().startsWith(run.outputDir()));
    }
}
