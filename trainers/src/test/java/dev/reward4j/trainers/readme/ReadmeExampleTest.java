package dev.reward4j.trainers.readme;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.reward4j.core.data.PlainText;
import dev.reward4j.core.data.TokenizedSequence;
import dev.reward4j.core.model.DecoderModel;
import dev.reward4j.core.model.ModelHead;
import dev.reward4j.core.model.ModelOptions;
import dev.reward4j.core.testing.Fixtures;
import dev.reward4j.core.text.TextEncoder;
import dev.reward4j.losses.PairwiseOutput;
import dev.reward4j.losses.Reduction;
import dev.reward4j.losses.RewardModelLosses;
import dev.reward4j.losses.RewardModelObjective;
import dev.reward4j.losses.RewardPair;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The "Using it from Java" example of the README, compiled and run (keep the two in sync). */
class ReadmeExampleTest {
    @Test
    void scoresTwoResponsesAndComputesTheirBradleyTerryLoss() {
        Path modelDir = Fixtures.hf("llama-rm");
        Path tokenizerDir = Fixtures.hf("tokenizer");
        // --- README example starts here ---
        try (TextEncoder encoder = TextEncoder.load(tokenizerDir);
                DecoderModel model =
                        DecoderModel.load(modelDir, ModelHead.REWARD, ModelOptions.defaults());
                NDManager step = model.manager().newSubManager()) {
            TokenizedSequence good =
                    encoder.encode(new PlainText("What is 2 + 2?"), new PlainText(" 4"));
            TokenizedSequence bad =
                    encoder.encode(new PlainText("What is 2 + 2?"), new PlainText(" 5"));
            NDArray chosenReward = score(model, step, good);
            NDArray rejectedReward = score(model, step, bad);
            PairwiseOutput bt =
                    RewardModelLosses.bradleyTerry(
                            RewardPair.of(chosenReward, rejectedReward),
                            RewardModelObjective.BradleyTerry.defaults(),
                            null,
                            Reduction.MEAN);
            System.out.printf(
                    "rewards %.4f / %.4f, BT loss %.4f%n",
                    chosenReward.getFloat(0), rejectedReward.getFloat(0), bt.loss().getFloat());
            // --- README example ends here ---
            float d = chosenReward.getFloat(0) - rejectedReward.getFloat(0);
            assertEquals(Math.log1p(Math.exp(-d)), bt.loss().getFloat(), 1e-5);
            assertTrue(Float.isFinite(d));
        }
    }

    /** One sequence, no padding: the reward of its last token, shape (1). */
    static NDArray score(DecoderModel model, NDManager step, TokenizedSequence seq) {
        long[] ids = java.util.Arrays.stream(seq.ids()).asLongStream().toArray();
        NDArray inputIds = step.create(ids, new Shape(1, ids.length));
        NDArray mask = step.ones(new Shape(1, ids.length), ai.djl.ndarray.types.DataType.INT64);
        return model.scores(inputIds, mask).reshape(1); // (N, K) with K = 1
    }
}
