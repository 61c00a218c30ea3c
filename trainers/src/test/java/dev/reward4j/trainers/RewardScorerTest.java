package dev.reward4j.trainers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.reward4j.core.data.Message;
import dev.reward4j.core.model.ModelHead;
import dev.reward4j.core.testing.Fixtures;
import dev.reward4j.trainers.run.RunResult;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link RewardScorer}: heads from the checkpoint, batching, implicit rewards, clear errors. */
class RewardScorerTest {
    @TempDir Path dir;

    static final List<ScoreInput> INPUTS =
            List.of(
                    ScoreInput.of("What is 2 + 2?", " 4"),
                    ScoreInput.of("What is 2 + 2?", " 5"),
                    ScoreInput.conversation(List.of(Message.user("Hi!")), "Hello."),
                    ScoreInput.of("Name a colour.", " Blue is a colour of the sky."),
                    ScoreInput.conversation(
                            List.of(Message.user("What is 7 + 4?")), "It is eleven."));

    @Test
    void scoresDoNotDependOnTheBatchSize() {
        double[] one;
        double[] all;
        try (RewardScorer s =
                RewardScorer.builder(Fixtures.hf("llama-rm"))
                        .tokenizer(Fixtures.hf("tokenizer"))
                        .batchSize(1)
                        .build()) {
            assertEquals(ModelHead.REWARD, s.head());
            one = s.score(INPUTS);
            assertEquals(one[2], s.score(INPUTS.get(2)), 0.0);
            assertTrue(s.runInfo().get("pooling").startsWith("hf"), s.runInfo().toString());
        }
        try (RewardScorer s =
                RewardScorer.builder(Fixtures.hf("llama-rm"))
                        .tokenizer(Fixtures.hf("tokenizer"))
                        .batchSize(16)
                        .build()) {
            all = s.score(INPUTS);
        }
        assertArrayEquals(one, all, 1e-5);
        assertTrue(one[0] != one[1], "different responses, different rewards");
    }

    @Test
    void aMultiOutputRewardModelLoadsWithTheHeadItsConfigRecords() throws IOException {
        // a regression run writes num_labels = 5 (the HelpSteer2 attributes) into config.json
        RunResult r =
                Training.model(Fixtures.hf("llama-lm"))
                        .tokenizer(Fixtures.hf("tokenizer"))
                        .data(TrainingTest.coreData("helpsteer2.jsonl"))
                        .regression()
                        .maxLength(64)
                        .batchSize(2)
                        .steps(1)
                        .checkpointEvery(0)
                        .outputDir(dir.resolve("reg"))
                        .log(new PrintStream(new ByteArrayOutputStream()))
                        .train();
        try (RewardScorer s = RewardScorer.load(r.modelDir())) {
            assertEquals(ModelHead.reward(5), s.head());
            double[][] all = s.scoreAll(INPUTS);
            assertEquals(INPUTS.size(), all.length);
            assertEquals(5, all[0].length);
            double[] first = s.score(INPUTS);
            for (int i = 0; i < all.length; i++) {
                assertEquals(all[i][0], first[i], 0.0);
            }
        }
    }

    @Test
    void aPolicyScoredAgainstItselfHasAZeroImplicitReward() {
        // sum log pi(y|x) - sum log pi_ref(y|x) = 0 when the policy is its own reference
        try (RewardScorer s =
                RewardScorer.builder(Fixtures.hf("llama-lm"))
                        .tokenizer(Fixtures.hf("tokenizer"))
                        .reference(Fixtures.hf("llama-lm"))
                        .build()) {
            assertEquals(ModelHead.LM, s.head());
            for (double v : s.score(INPUTS)) {
                assertEquals(0.0, v, 1e-6);
            }
        }
    }

    @Test
    void anInputTrainingWouldDropIsAnErrorNamingIt() {
        List<ScoreInput> inputs = new ArrayList<>(INPUTS.subList(0, 2));
        inputs.add(ScoreInput.of("too long " + "word ".repeat(80), " yes"));
        try (RewardScorer s =
                RewardScorer.builder(Fixtures.hf("llama-rm"))
                        .tokenizer(Fixtures.hf("tokenizer"))
                        .maxLength(32)
                        .truncation("drop")
                        .build()) {
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> s.score(inputs));
            assertTrue(
                    e.getMessage().startsWith("score: <input>:3 cannot be scored"), e.getMessage());
        }
    }
}
