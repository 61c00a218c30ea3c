package dev.reward4j.it.consumer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.reward4j.core.data.PlainText;
import dev.reward4j.core.data.TokenizedSequence;
import dev.reward4j.core.model.DecoderModel;
import dev.reward4j.core.model.ModelHead;
import dev.reward4j.core.model.ModelOptions;
import dev.reward4j.core.text.TextEncoder;
import dev.reward4j.losses.Reduction;
import dev.reward4j.losses.RewardModelLosses;
import dev.reward4j.losses.RewardModelObjective;
import dev.reward4j.losses.RewardPair;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Main-scope code of the consumer: loads a reward model and its tokenizer through the library API,
 * scores a chosen and a rejected response to one prompt and computes their Bradley-Terry loss.
 */
public final class ScoreTwoTexts {

    /** The two rewards and the Bradley-Terry loss of the pair. */
    public record Scores(float chosen, float rejected, float bradleyTerryLoss) {}

    private ScoreTwoTexts() {}

    /** Scores {@code chosen} and {@code rejected} as responses to {@code prompt}. */
    public static Scores score(
            Path modelDir, Path tokenizerDir, String prompt, String chosen, String rejected) {
        try (TextEncoder encoder = TextEncoder.load(tokenizerDir);
                DecoderModel model =
                        DecoderModel.load(modelDir, ModelHead.REWARD, ModelOptions.defaults());
                NDManager step = model.manager().newSubManager()) {
            NDArray chosenReward =
                    reward(model, step, encoder.encode(new PlainText(prompt), new PlainText(chosen)));
            NDArray rejectedReward =
                    reward(model, step, encoder.encode(new PlainText(prompt), new PlainText(rejected)));
            NDArray loss =
                    RewardModelLosses.bradleyTerry(
                                    RewardPair.of(chosenReward, rejectedReward),
                                    RewardModelObjective.BradleyTerry.defaults(),
                                    null,
                                    Reduction.MEAN)
                            .loss();
            return new Scores(chosenReward.getFloat(0), rejectedReward.getFloat(0), loss.getFloat());
        }
    }

    /** One unpadded sequence: the reward at its last token, shape (1). */
    private static NDArray reward(DecoderModel model, NDManager step, TokenizedSequence seq) {
        long[] ids = Arrays.stream(seq.ids()).asLongStream().toArray();
        NDArray inputIds = step.create(ids, new Shape(1, ids.length));
        NDArray mask = step.ones(new Shape(1, ids.length), DataType.INT64);
        return model.scores(inputIds, mask).reshape(1);
    }

    /**
     * {@code java -Dai.djl.offline=true -cp ... ScoreTwoTexts MODEL_DIR TOKENIZER_DIR}: prints the
     * two rewards and the loss.
     */
    public static void main(String[] args) {
        if (args.length != 2) {
            System.err.println("usage: ScoreTwoTexts MODEL_DIR TOKENIZER_DIR");
            System.exit(2);
        }
        Scores s = score(Path.of(args[0]), Path.of(args[1]), "What is 2 + 2?", " 4", " 5");
        System.out.printf(
                "rewards %.4f / %.4f, BT loss %.4f%n", s.chosen(), s.rejected(), s.bradleyTerryLoss());
    }
}
