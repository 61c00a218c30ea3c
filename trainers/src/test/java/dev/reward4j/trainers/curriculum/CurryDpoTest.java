package dev.reward4j.trainers.curriculum;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.reward4j.core.data.PairBatch;
import dev.reward4j.core.data.PlainText;
import dev.reward4j.core.data.PreferencePair;
import dev.reward4j.core.data.RankedList;
import dev.reward4j.core.data.Source;
import dev.reward4j.core.data.Text;
import dev.reward4j.core.model.DecoderModel;
import dev.reward4j.core.model.ModelHead;
import dev.reward4j.core.model.ModelOptions;
import dev.reward4j.core.transform.CurryCurriculum;
import dev.reward4j.core.transform.StagedPair;
import dev.reward4j.losses.PairwisePolicyObjective;
import dev.reward4j.trainers.checkpoint.TrainerState;
import dev.reward4j.trainers.loop.LoopOptions;
import dev.reward4j.trainers.loop.LoopParts;
import dev.reward4j.trainers.loop.LoopResult;
import dev.reward4j.trainers.loop.StepEvaluator;
import dev.reward4j.trainers.loop.TrainLoop;
import dev.reward4j.trainers.metrics.MetricNames;
import dev.reward4j.trainers.optim.AdamW;
import dev.reward4j.trainers.optim.AdamWConfig;
import dev.reward4j.trainers.optim.GlobalNormClip;
import dev.reward4j.trainers.optim.LossScaler;
import dev.reward4j.trainers.optim.LrSchedule;
import dev.reward4j.trainers.reference.FrozenReference;
import dev.reward4j.trainers.step.PolicyPairsStep;
import dev.reward4j.trainers.step.TinyTasks;
import dev.reward4j.trainers.step.TinyTasks.Seq;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Curry-DPO on a tiny Llama: four rated responses per prompt (3, 2, 1 or 0 good tokens, rating =
 * good tokens) become {@link CurryCurriculum}'s three stages (best against worst, against the
 * third, against the second); DPO trains 30 steps per stage and the reference is refreshed between
 * stages. The reference after stage 1 is bit for bit the policy at the end of stage 1 (and likewise
 * after stage 2), and the policy learns to rank the hardest held-out pairs (3 against 2 good
 * tokens).
 */
class CurryDpoTest {
    static final int STEPS_PER_STAGE = 30;

    /** A response after {@code prompt}: {@code good} good tokens, the rest bad, then EOS. */
    static int[] response(int[] prompt, Random r, int good) {
        int[] ids = java.util.Arrays.copyOf(prompt, prompt.length + 4);
        List<Integer> tokens = new ArrayList<>();
        for (int k = 0; k < 3; k++) {
            tokens.add(k < good ? TinyTasks.good(r) : TinyTasks.bad(r));
        }
        java.util.Collections.shuffle(tokens, r);
        for (int k = 0; k < 3; k++) {
            ids[prompt.length + k] = tokens.get(k);
        }
        ids[prompt.length + 3] = 2;
        return ids;
    }

    static String text(int[] ids) {
        StringBuilder b = new StringBuilder();
        for (int id : ids) {
            b.append(b.length() == 0 ? "" : " ").append(id);
        }
        return b.toString();
    }

    static int[] ids(Text t) {
        String s = ((PlainText) t).text();
        return s.isEmpty()
                ? new int[0]
                : java.util.Arrays.stream(s.split(" ")).mapToInt(Integer::parseInt).toArray();
    }

    /** Rated responses of {@code n} prompts (texts hold token ids), as ranked lists. */
    static List<RankedList> lists(int n, long seed) {
        Random r = new Random(seed);
        List<RankedList> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int[] prompt = {1, 3 + r.nextInt(20), 3 + r.nextInt(20)};
            List<Text> responses = new ArrayList<>();
            double[] scores = new double[4];
            for (int g = 0; g < 4; g++) {
                int[] full = response(prompt, r, 3 - g);
                responses.add(
                        new PlainText(text(java.util.Arrays.copyOfRange(full, 3, full.length))));
                scores[g] = 3 - g;
            }
            out.add(
                    new RankedList(
                            "l" + i,
                            new PlainText(text(prompt)),
                            responses,
                            scores,
                            Source.memory(i)));
        }
        return out;
    }

    static Seq[] seqs(PreferencePair p) {
        int[] prompt = ids(p.prompt());
        int[] c = ids(p.chosen());
        int[] r = ids(p.rejected());
        int[] a = java.util.Arrays.copyOf(prompt, prompt.length + c.length);
        System.arraycopy(c, 0, a, prompt.length, c.length);
        int[] b = java.util.Arrays.copyOf(prompt, prompt.length + r.length);
        System.arraycopy(r, 0, b, prompt.length, r.length);
        return new Seq[] {new Seq(a, prompt.length), new Seq(b, prompt.length)};
    }

    static Map<String, float[]> snapshot(DecoderModel m) {
        Map<String, float[]> out = new LinkedHashMap<>();
        m.parameters().forEach((k, v) -> out.put(k, v.toFloatArray()));
        return out;
    }

    static void assertSame(
            Map<String, float[]> expected, Map<String, float[]> actual, String what) {
        assertEquals(expected.keySet(), actual.keySet());
        for (String k : expected.keySet()) {
            assertArrayEquals(expected.get(k), actual.get(k), what + ": " + k);
        }
    }

    @Test
    void stagesRunEasyToHardAndTheReferenceIsTheEndOfTheStageBefore() {
        CurryCurriculum curry = CurryCurriculum.defaults();
        List<StagedPair> staged = new ArrayList<>();
        for (RankedList l : lists(96, 3)) {
            staged.addAll(curry.pairs(l, t -> {}));
        }
        List<List<Seq[]>> stages = new ArrayList<>();
        for (List<PreferencePair> s : curry.byStage(staged)) {
            stages.add(s.stream().map(CurryDpoTest::seqs).toList());
        }
        // stage 0 = 3 vs 0 good tokens, stage 2 = 3 vs 2 (the hardest)
        assertEquals(96, stages.get(0).size());
        List<Seq[]> hard = new ArrayList<>();
        for (RankedList l : lists(64, 4)) {
            hard.add(seqs(curry.pairs(l, t -> {}).get(2).pair()));
        }
        CurriculumSchedule schedule =
                CurriculumSchedule.ofSteps(STEPS_PER_STAGE, STEPS_PER_STAGE, STEPS_PER_STAGE);
        try (DecoderModel policy =
                        DecoderModel.create(
                                TinyTasks.tinyLlama(), ModelHead.LM, 6, ModelOptions.defaults());
                DecoderModel refModel =
                        DecoderModel.create(
                                TinyTasks.tinyLlama(), ModelHead.LM, 6, ModelOptions.defaults())) {
            policy.setTrainable(true);
            FrozenReference ref = new FrozenReference(refModel);
            Map<String, float[]> initial = snapshot(refModel);
            Map<Long, Map<String, float[]>> policyAtStep = new HashMap<>();
            Map<Integer, Map<String, float[]>> referenceAtStage = new HashMap<>();
            CurriculumStep<PairBatch> step =
                    new CurriculumStep<>(
                            new PolicyPairsStep(
                                    policy, PairwisePolicyObjective.Dpo.defaults(), ref),
                            schedule,
                            ref,
                            policy,
                            stage -> referenceAtStage.put(stage, snapshot(refModel)));
            List<Function<NDManager, PairBatch>> heldOut =
                    TinyTasks.heldOut(hard, 64, TinyTasks::pairBatch);
            Map<String, Double> before =
                    new StepEvaluator<>(step, heldOut, policy.manager()).evaluate(0);
            List<Double> trainStage = new ArrayList<>();
            LoopResult result;
            try (AdamW opt =
                    new AdamW(
                            policy.parameters(),
                            AdamWConfig.defaults().withWeightDecay(0),
                            policy.manager())) {
                result =
                        new TrainLoop<>(
                                        new LoopParts<>(
                                                policy.manager(),
                                                step,
                                                new StagedSource<>(
                                                        stages,
                                                        schedule,
                                                        1,
                                                        16,
                                                        1,
                                                        (ex, m) ->
                                                                TinyTasks.pairBatch(
                                                                        ex,
                                                                        java.util.Collections
                                                                                .nCopies(
                                                                                        ex.size(),
                                                                                        "pair"),
                                                                        m)),
                                                opt,
                                                new LrSchedule.Constant(2e-3, 0),
                                                new GlobalNormClip(1.0),
                                                LossScaler.none(),
                                                (phase, s, v) -> {
                                                    if (phase.equals("train")) {
                                                        trainStage.add(
                                                                v.get(CurriculumStep.STAGE_METRIC));
                                                    }
                                                },
                                                new StepEvaluator<>(
                                                        step, heldOut, policy.manager()),
                                                s -> {
                                                    policyAtStep.put(s.step(), snapshot(policy));
                                                    return Path.of("step-" + s.step());
                                                },
                                                LoopOptions.defaults()
                                                        .withMaxSteps(schedule.totalSteps())
                                                        .withCheckpointEvery(STEPS_PER_STAGE),
                                                new TrainerState(0, 0, 0, 1, null, 0)))
                                .run();
            }
            Map<String, Double> after = result.lastEval();
            System.out.printf(
                    "learning: curry-dpo (3 stages x %d steps) hardest-pair accuracy %.3f -> %.3f,"
                            + " margin %.4f -> %.4f (%.1f s)%n",
                    STEPS_PER_STAGE,
                    before.get(MetricNames.ACCURACY),
                    after.get(MetricNames.ACCURACY),
                    before.get(MetricNames.MARGIN),
                    after.get(MetricNames.MARGIN),
                    result.seconds());
            // the stages ran in order, each for its steps
            assertEquals(3 * STEPS_PER_STAGE, trainStage.size());
            assertEquals(0.0, trainStage.get(STEPS_PER_STAGE - 1));
            assertEquals(1.0, trainStage.get(STEPS_PER_STAGE));
            assertEquals(2.0, trainStage.get(3 * STEPS_PER_STAGE - 1));
            assertEquals(2, step.stage());
            // the reference of stage 2 is the policy at the end of stage 1, bit for bit; stage 3's
            // the policy at the end of stage 2; and both moved away from the initial reference
            assertEquals(java.util.Set.of(1, 2), referenceAtStage.keySet());
            assertSame(
                    policyAtStep.get((long) STEPS_PER_STAGE), referenceAtStage.get(1), "stage 1");
            assertSame(policyAtStep.get(2L * STEPS_PER_STAGE), referenceAtStage.get(2), "stage 2");
            assertSame(referenceAtStage.get(2), snapshot(refModel), "after training");
            assertFalse(
                    java.util.Arrays.equals(
                                    initial.get("model.norm.weight"),
                                    referenceAtStage.get(1).get("model.norm.weight"))
                            && java.util.Arrays.equals(
                                    initial.get("lm_head.weight"),
                                    referenceAtStage.get(1).get("lm_head.weight")),
                    "the refreshed reference differs from the initial one");
            for (NDArray p : refModel.parameters().values()) {
                assertFalse(p.hasGradient(), "the reference stays frozen");
            }
            assertTrue(
                    after.get(MetricNames.ACCURACY) >= 0.9
                            && after.get(MetricNames.ACCURACY)
                                    >= before.get(MetricNames.ACCURACY) + 0.3,
                    before + " -> " + after);
        }
    }
}
