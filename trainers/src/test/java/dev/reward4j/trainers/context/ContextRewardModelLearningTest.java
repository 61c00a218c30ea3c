package dev.reward4j.trainers.context;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.reward4j.core.data.ContextFlips;
import dev.reward4j.core.data.PairBatch;
import dev.reward4j.core.data.PairCollator;
import dev.reward4j.core.data.PreferencePair;
import dev.reward4j.core.data.TokenizedPair;
import dev.reward4j.core.model.DecoderModel;
import dev.reward4j.core.model.ModelHead;
import dev.reward4j.core.synth.ContextPreferences;
import dev.reward4j.core.synth.Split;
import dev.reward4j.core.synth.SynthContextPair;
import dev.reward4j.losses.RewardModelObjective;
import dev.reward4j.trainers.inmemory.CyclingSource;
import dev.reward4j.trainers.inmemory.ShortRun;
import dev.reward4j.trainers.metrics.ContextFlipAccuracy;
import dev.reward4j.trainers.metrics.HostArrays;
import dev.reward4j.trainers.optim.Gradients;
import dev.reward4j.trainers.step.RewardPairsStep;
import dev.reward4j.trainers.testkit.SynthText;
import dev.reward4j.trainers.testkit.TinyTraining;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A reward model that reads the context (rendered into the prompt by the default {@code
 * ContextTemplate}) orders context-flip pairs correctly; the same model trained without the context
 * is at chance on them.
 */
class ContextRewardModelLearningTest {
    @Test
    void aContextConditionedRewardModelGetsNinetyPercentOfFlipPairsWhereContextBlindBtIsAtChance(
            @TempDir Path dir) {
        ContextPreferences gen = new ContextPreferences(23);
        List<SynthContextPair> trainPairs = gen.pairs(Split.TRAIN, 0, 2048);
        List<SynthContextPair> testPairs = gen.pairs(Split.HELD_OUT, 0, 400);
        List<PreferencePair> withContext =
                testPairs.stream().map(SynthContextPair::toPreferencePair).toList();
        Map<String, String> flips = ContextFlips.groups(withContext);
        assertEquals(400, flips.size(), "every held-out pair is in a flip couple");
        try (SynthText text = SynthText.of(dir, gen.vocabulary())) {
            ContextFlipAccuracy aware =
                    trainAndScore(
                            text,
                            text.pairs(
                                    trainPairs.stream()
                                            .map(SynthContextPair::toPreferencePair)
                                            .toList()),
                            text.pairs(withContext),
                            flips);
            ContextFlipAccuracy blind =
                    trainAndScore(
                            text,
                            text.pairs(
                                    trainPairs.stream()
                                            .map(SynthContextPair::toContextBlindPair)
                                            .toList()),
                            text.pairs(
                                    testPairs.stream()
                                            .map(SynthContextPair::toContextBlindPair)
                                            .toList()),
                            flips);
            System.out.printf(
                    "context: flip-pair accuracy context RM %.4f (groups %.4f), context-blind BT"
                            + " %.4f (groups %.4f) on %d pairs / %d couples%n",
                    aware.pairAccuracy(),
                    aware.groupAccuracy(),
                    blind.pairAccuracy(),
                    blind.groupAccuracy(),
                    aware.pairs(),
                    aware.groups());
            assertTrue(aware.pairAccuracy() >= 0.90, "context RM " + aware);
            // a context-blind model gives both pairs of a couple the same score difference: it
            // orders at most one of them correctly, so it is at chance (0.5 at most, exactly 0.5
            // without tied scores) and never gets a whole couple
            assertTrue(
                    blind.pairAccuracy() <= 0.5 + 1e-12 && blind.pairAccuracy() >= 0.45,
                    "context-blind BT " + blind);
            assertEquals(0.0, blind.groupAccuracy(), 0.0);
        }
    }

    static ContextFlipAccuracy trainAndScore(
            SynthText text,
            List<TokenizedPair> train,
            List<TokenizedPair> test,
            Map<String, String> flips) {
        PairCollator collator = new PairCollator(text.padding());
        try (DecoderModel model = TinyTraining.tiny(text.vocabSize(), ModelHead.REWARD, 29)) {
            ShortRun.defaults()
                    .train(
                            model.manager(),
                            model.parameters(),
                            new RewardPairsStep(
                                    model, RewardModelObjective.BradleyTerry.defaults()),
                            new CyclingSource<>(train, 32, collator::collate, 3, true),
                            null,
                            (p, s, v) -> {});
            List<String> groups = new ArrayList<>();
            List<Boolean> correct = new ArrayList<>();
            for (int s = 0; s < test.size(); s += 100) {
                List<TokenizedPair> chunk = test.subList(s, Math.min(test.size(), s + 100));
                try (NDManager m = model.manager().newSubManager();
                        PairBatch b = collator.collate(chunk, m)) {
                    double[] r =
                            Gradients.withGradModeOff(
                                    () -> HostArrays.of(RewardPairsStep.rewards(model, b)));
                    for (int i = 0; i < chunk.size(); i++) {
                        groups.add(flips.get(chunk.get(i).id()));
                        correct.add(r[i] > r[chunk.size() + i]);
                    }
                }
            }
            boolean[] c = new boolean[correct.size()];
            for (int i = 0; i < c.length; i++) {
                c[i] = correct.get(i);
            }
            return ContextFlipAccuracy.of(groups, c);
        }
    }
}
