package dev.reward4j.trainers.process;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.reward4j.core.data.StepBatch;
import dev.reward4j.core.data.StepCollator;
import dev.reward4j.core.data.TokenizedSteps;
import dev.reward4j.core.heads.StepHead;
import dev.reward4j.core.model.DecoderModel;
import dev.reward4j.core.synth.ArithmeticChains;
import dev.reward4j.core.synth.Split;
import dev.reward4j.core.synth.SynthStepChain;
import dev.reward4j.losses.StepObjective.StepBce;
import dev.reward4j.trainers.inmemory.CyclingSource;
import dev.reward4j.trainers.inmemory.ShortRun;
import dev.reward4j.trainers.loop.LoopResult;
import dev.reward4j.trainers.metrics.Auroc;
import dev.reward4j.trainers.testkit.SynthText;
import dev.reward4j.trainers.testkit.TinyTraining;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A process reward model trained with per-step BCE on addition chains finds the injected wrong
 * step: in held-out chains with exactly one wrong step, the first step it scores below 0.5 is that
 * step.
 */
class ProcessRewardLearningTest {
    static final long STEPS = 800;

    @Test
    void theFirstStepScoredBelowHalfIsTheInjectedWrongStepInNinetyPercentOfChains(
            @TempDir Path dir) {
        ArithmeticChains gen = ArithmeticChains.defaults(31);
        String sep = ArithmeticChains.separator();
        try (SynthText text = SynthText.of(dir, gen.vocabulary())) {
            List<TokenizedSteps> train =
                    text.steps(
                            gen.chains(Split.TRAIN, 0, 6000).stream()
                                    .map(SynthStepChain::toStepwiseExample)
                                    .toList(),
                            sep);
            List<SynthStepChain> testChains = gen.withErrorRate(1.0).chains(Split.HELD_OUT, 0, 400);
            List<SynthStepChain> correctChains =
                    gen.withErrorRate(0.0).chains(Split.HELD_OUT, 10_000, 200);
            List<SynthStepChain> all = new ArrayList<>(testChains);
            all.addAll(correctChains);
            List<TokenizedSteps> test =
                    text.steps(all.stream().map(SynthStepChain::toStepwiseExample).toList(), sep);
            StepCollator collator = new StepCollator(text.padding());
            try (DecoderModel model =
                    TinyTraining.llama(
                            text.vocabSize(),
                            Integer.getInteger("reward4j.prm.width", 32),
                            StepHead.modelHead(),
                            37)) {
                LoopResult s =
                        ShortRun.defaults()
                                .withSteps(STEPS)
                                .train(
                                        model.manager(),
                                        model.parameters(),
                                        new ProcessRewardStep(model, new StepBce()),
                                        new CyclingSource<>(train, 32, collator::collate, 5, true),
                                        null,
                                        (p, st, v) -> {});
                ProcessRewardScorer scorer = new ProcessRewardScorer(model);
                List<StepRewards> parts = new ArrayList<>();
                for (int i = 0; i < test.size(); i += 100) {
                    try (NDManager m = model.manager().newSubManager();
                            StepBatch b =
                                    collator.collate(
                                            test.subList(i, Math.min(test.size(), i + 100)), m)) {
                        parts.add(scorer.stepRewards(b));
                    }
                }
                StepRewards rewards = StepRewards.concat(parts);
                int[] first = rewards.firstBelow(0.5);
                int hits = 0;
                for (int i = 0; i < testChains.size(); i++) {
                    hits += first[i] == testChains.get(i).wrongStep() ? 1 : 0;
                }
                double rate = (double) hits / testChains.size();
                // verification: solution scores separate correct from wrong solutions
                boolean[] correct = new boolean[all.size()];
                for (int i = 0; i < all.size(); i++) {
                    correct[i] = all.get(i).wrongStep() < 0;
                }
                double aurocMin = Auroc.of(rewards.aggregate(StepAggregation.MIN), correct);
                double aurocProduct = Auroc.of(rewards.aggregate(StepAggregation.PRODUCT), correct);
                double aurocLast = Auroc.of(rewards.aggregate(StepAggregation.LAST), correct);
                System.out.printf(
                        "prm: first step below 0.5 is the injected wrong step in %.4f of %d chains;"
                                + " correct-vs-wrong AUROC min %.4f, product %.4f, last %.4f (%d"
                                + " steps, %.1f s)%n",
                        rate,
                        testChains.size(),
                        aurocMin,
                        aurocProduct,
                        aurocLast,
                        s.steps(),
                        s.seconds());
                assertTrue(rate >= 0.90, "first-error localisation " + rate);
                assertTrue(aurocMin >= 0.9, "min aggregation AUROC " + aurocMin);
            }
        }
    }
}
