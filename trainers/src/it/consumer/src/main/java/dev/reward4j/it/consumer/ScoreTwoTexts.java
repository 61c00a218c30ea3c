package dev.reward4j.it.consumer;

import dev.reward4j.trainers.RewardScorer;
import dev.reward4j.trainers.ScoreInput;
import java.nio.file.Path;
import java.util.List;

/**
 * Main-scope code of the consumer: scores a chosen and a rejected response to one prompt with a
 * reward model through the library's scoring API and computes their Bradley-Terry loss.
 */
public final class ScoreTwoTexts {

    /** The two rewards and the Bradley-Terry loss of the pair. */
    public record Scores(double chosen, double rejected, double bradleyTerryLoss) {}

    private ScoreTwoTexts() {}

    /** Scores {@code chosen} and {@code rejected} as responses to {@code prompt}. */
    public static Scores score(
            Path modelDir, Path tokenizerDir, String prompt, String chosen, String rejected) {
        try (RewardScorer scorer = RewardScorer.builder(modelDir).tokenizer(tokenizerDir).build()) {
            double[] r =
                    scorer.score(
                            List.of(ScoreInput.of(prompt, chosen), ScoreInput.of(prompt, rejected)));
            // BT loss = softplus(rejected - chosen), computed stably
            double d = r[0] - r[1];
            double loss = Math.max(-d, 0) + Math.log1p(Math.exp(-Math.abs(d)));
            return new Scores(r[0], r[1], loss);
        }
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
