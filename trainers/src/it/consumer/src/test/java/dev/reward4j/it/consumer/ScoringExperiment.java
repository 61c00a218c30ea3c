package dev.reward4j.it.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.reward4j.trainers.experiment.RewardExperiment;
import dev.reward4j.trainers.experiment.RunContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import org.junit.jupiter.api.Test;

/** A consumer's JUnit experiment: runs the main-scope scorer on the tiny fixture reward model. */
@RewardExperiment(seed = 11)
class ScoringExperiment {

    @Test
    void scoresTwoTextsWithTheFixtureRewardModel(RunContext run) {
        Path fixtures =
                Path.of(
                        Objects.requireNonNull(
                                System.getProperty("reward4j.fixtures"),
                                "system property reward4j.fixtures (fixtures/hf directory) is not set"));
        assertTrue(Files.isDirectory(fixtures.resolve("llama-rm")), fixtures + "/llama-rm");

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
        assertEquals(Math.log1p(Math.exp(-d)), s.bradleyTerryLoss(), 1e-5);
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
}
