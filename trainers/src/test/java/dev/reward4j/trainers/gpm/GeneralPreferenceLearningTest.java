package dev.reward4j.trainers.gpm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.reward4j.core.data.PairBatch;
import dev.reward4j.core.data.PairCollator;
import dev.reward4j.core.data.TokenizedPair;
import dev.reward4j.core.heads.PreferenceEmbeddingHead;
import dev.reward4j.core.model.DecoderModel;
import dev.reward4j.core.model.ModelHead;
import dev.reward4j.core.synth.CyclicPreferences;
import dev.reward4j.core.synth.Split;
import dev.reward4j.core.synth.SynthCyclicPair;
import dev.reward4j.losses.PreferenceEmbeddingObjective.GeneralPreference;
import dev.reward4j.losses.RewardModelObjective;
import dev.reward4j.trainers.loop.LoopResult;
import dev.reward4j.trainers.metrics.MetricNames;
import dev.reward4j.trainers.step.RewardPairsStep;
import dev.reward4j.trainers.testkit.Batches;
import dev.reward4j.trainers.testkit.SynthText;
import dev.reward4j.trainers.testkit.TinyTraining;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The general preference model learns rock-paper-scissors, which no Bradley-Terry reward model can:
 * on a balanced held-out set every scalar reward is capped at 2/3.
 */
class GeneralPreferenceLearningTest {
    static final long STEPS = 300;

    @Test
    void gpmReachesNinetyFivePercentOnCyclicPreferencesWhereBradleyTerryIsCappedAtTwoThirds(
            @TempDir Path dir) {
        CyclicPreferences gen = CyclicPreferences.rockPaperScissors(5);
        assertEquals(2.0 / 3.0, gen.transitiveCeiling(), 1e-12);
        try (SynthText text = SynthText.of(dir, gen.vocabulary())) {
            List<TokenizedPair> train = text.pairs(prefs(gen.pairs(Split.TRAIN, 0, 2048)));
            List<TokenizedPair> test = text.pairs(prefs(gen.pairs(Split.HELD_OUT, 0, 600)));
            PairCollator collator = new PairCollator(text.padding());
            BiFunction<List<TokenizedPair>, NDManager, PairBatch> collate = collator::collate;

            double bt;
            try (DecoderModel model = TinyTraining.tiny(text.vocabSize(), ModelHead.REWARD, 1)) {
                LoopResult s =
                        TinyTraining.train(
                                model.manager(),
                                model.parameters(),
                                new RewardPairsStep(
                                        model, RewardModelObjective.BradleyTerry.defaults()),
                                Batches.cycling(train, 32, collate),
                                Batches.chunks(test, 100, collate),
                                STEPS,
                                3e-3);
                bt = s.lastEval().get(MetricNames.ACCURACY);
            }
            PreferenceEmbeddingHead head = new PreferenceEmbeddingHead(2, true);
            GeneralPreference loss = GeneralPreference.defaults();
            double gpm;
            double seconds;
            try (DecoderModel model = TinyTraining.tiny(text.vocabSize(), head.modelHead(), 1)) {
                LoopResult s =
                        TinyTraining.train(
                                model.manager(),
                                model.parameters(),
                                new GeneralPreferenceStep(model, head, loss),
                                Batches.cycling(train, 32, collate),
                                Batches.chunks(test, 100, collate),
                                STEPS,
                                3e-3);
                gpm = s.lastEval().get(MetricNames.ACCURACY);
                seconds = s.seconds();
            }
            System.out.printf(
                    "gpm: rock-paper-scissors held-out accuracy GPM %.4f, BT %.4f (transitive"
                            + " ceiling %.4f; %d steps, GPM %.1f s)%n",
                    gpm, bt, gen.transitiveCeiling(), STEPS, seconds);
            assertTrue(gpm >= 0.95, "GPM accuracy " + gpm);
            assertTrue(bt <= gen.transitiveCeiling() + 0.02, "BT accuracy " + bt);
        }
    }

    static List<dev.reward4j.core.data.PreferencePair> prefs(List<SynthCyclicPair> pairs) {
        return pairs.stream().map(SynthCyclicPair::toPreferencePair).toList();
    }
}
