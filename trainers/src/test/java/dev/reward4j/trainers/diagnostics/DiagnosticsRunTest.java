package dev.reward4j.trainers.diagnostics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.reward4j.core.data.PairBatch;
import dev.reward4j.core.model.DecoderModel;
import dev.reward4j.core.model.ModelHead;
import dev.reward4j.core.model.ModelOptions;
import dev.reward4j.losses.PairwisePolicyObjective;
import dev.reward4j.trainers.checkpoint.TrainerState;
import dev.reward4j.trainers.loop.LoopOptions;
import dev.reward4j.trainers.loop.LoopParts;
import dev.reward4j.trainers.loop.StepEvaluator;
import dev.reward4j.trainers.loop.TrainLoop;
import dev.reward4j.trainers.loop.TrainingStep;
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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * DPO runs on a tiny Llama with the diagnostics on, evaluated every 10 steps on the training pairs
 * themselves (the same pairs every time, as the CHES paper tracks its training set). Pairs whose
 * responses share their first two tokens and whose labels carry no rule (similar preferences, high
 * CHES) make DPO lower the chosen log-prob while the margin grows: the displacement flag rises.
 * Pairs of distinct responses (good tokens against bad tokens, low CHES) raise the chosen log-prob:
 * no flag.
 */
class DiagnosticsRunTest {
    /** Prompt BOS + 2 tokens; responses of 3 tokens + EOS sharing their first two tokens. */
    static List<Seq[]> similarPairs(int n, long seed) {
        Random r = new Random(seed);
        List<Seq[]> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int[] prompt = {1, 3 + r.nextInt(20), 3 + r.nextInt(20)};
            int[] a = Arrays.copyOf(prompt, prompt.length + 4);
            int[] b = Arrays.copyOf(prompt, prompt.length + 4);
            for (int k = 0; k < 3; k++) {
                int t = 3 + r.nextInt(20);
                a[prompt.length + k] = t;
                b[prompt.length + k] = k < 2 ? t : 3 + r.nextInt(20);
            }
            a[prompt.length + 3] = 2;
            b[prompt.length + 3] = 2;
            out.add(new Seq[] {new Seq(a, prompt.length), new Seq(b, prompt.length)});
        }
        return out;
    }

    /** The eval records of a 60-step DPO run on {@code pairs}. */
    static List<Map<String, Double>> run(List<Seq[]> pairs) {
        try (DecoderModel policy =
                        DecoderModel.create(
                                TinyTasks.tinyLlama(), ModelHead.LM, 6, ModelOptions.defaults());
                DecoderModel refModel =
                        DecoderModel.create(
                                TinyTasks.tinyLlama(), ModelHead.LM, 6, ModelOptions.defaults())) {
            policy.setTrainable(true);
            TrainingStep<PairBatch> step =
                    new PolicyPairsStep(
                            policy,
                            PairwisePolicyObjective.Dpo.defaults(),
                            new FrozenReference(refModel),
                            PairDiagnostics.defaults(0.1));
            List<Function<NDManager, PairBatch>> held =
                    TinyTasks.heldOut(pairs, 64, TinyTasks::pairBatch);
            List<Map<String, Double>> evals = new ArrayList<>();
            DiagnosticsSink sink =
                    new DiagnosticsSink(
                            (phase, s, v) -> {
                                if (phase.equals("eval")) {
                                    Map<String, Double> m = new LinkedHashMap<>(v);
                                    m.put("step", (double) s);
                                    evals.add(m);
                                }
                            });
            try (AdamW opt =
                    new AdamW(
                            policy.parameters(),
                            AdamWConfig.defaults().withWeightDecay(0),
                            policy.manager())) {
                new TrainLoop<>(
                                new LoopParts<>(
                                        policy.manager(),
                                        step,
                                        TinyTasks.source(pairs, 16, TinyTasks::pairBatch),
                                        opt,
                                        new LrSchedule.Constant(3e-3, 0),
                                        new GlobalNormClip(1.0),
                                        LossScaler.none(),
                                        sink,
                                        new StepEvaluator<>(step, held, policy.manager()),
                                        null,
                                        LoopOptions.defaults().withMaxSteps(60).withEvalEvery(10),
                                        new TrainerState(0, 0, 0, 1, null, 0)))
                        .run();
            }
            for (Map<String, Double> v : evals) {
                System.out.printf(
                        "diagnostics: step %2.0f logps/chosen %8.3f logps/rejected %8.3f margin"
                                + " change %+7.3f displacement %.0f ches %8.3f ches_ln %7.3f"
                                + " topk_entropy %.3f topk_mass %.3f ranking %.3f idealized %.3f%n",
                        v.get("step"),
                        v.get(MetricNames.LOGPS_CHOSEN),
                        v.get(MetricNames.LOGPS_REJECTED),
                        v.get(MetricNames.LOGPS_MARGIN_CHANGE),
                        v.get(MetricNames.LIKELIHOOD_DISPLACEMENT),
                        v.get(MetricNames.CHES),
                        v.get(MetricNames.CHES_LENGTH_NORMALIZED),
                        v.get(MetricNames.TOPK_ENTROPY),
                        v.get(MetricNames.TOPK_MASS),
                        v.get(MetricNames.POLICY_RANKING_ACCURACY),
                        v.get(MetricNames.IDEALIZED_RANKING_ACCURACY));
            }
            return evals;
        }
    }

    @Test
    void similarPreferencesDisplaceTheChosenLikelihoodAndRaiseTheFlag() {
        System.out.println("diagnostics: similar pairs (shared response prefix, no rule)");
        List<Map<String, Double>> similar = run(similarPairs(64, 4));
        System.out.println("diagnostics: distinct pairs (good against bad tokens)");
        List<Map<String, Double>> distinct = run(TinyTasks.policyPairs(64, 4));
        Map<String, Double> sFirst = similar.get(0);
        Map<String, Double> sLast = similar.get(similar.size() - 1);
        // the run itself: the chosen log-prob falls while the margin rises ...
        assertTrue(
                sLast.get(MetricNames.LOGPS_CHOSEN) < sFirst.get(MetricNames.LOGPS_CHOSEN) - 1,
                sLast.toString());
        assertTrue(sLast.get(MetricNames.LOGPS_MARGIN_CHANGE) > 1, sLast.toString());
        // ... and the flag says so
        assertEquals(1.0, sLast.get(MetricNames.LIKELIHOOD_DISPLACEMENT), sLast.toString());
        for (Map<String, Double> v : distinct) {
            assertEquals(0.0, v.get(MetricNames.LIKELIHOOD_DISPLACEMENT), v.toString());
        }
        Map<String, Double> dLast = distinct.get(distinct.size() - 1);
        assertTrue(
                dLast.get(MetricNames.LOGPS_CHOSEN) > distinct.get(0).get(MetricNames.LOGPS_CHOSEN),
                dLast.toString());
        // similar preferences have the higher CHES (the paper's predictor of displacement)
        assertTrue(
                sFirst.get(MetricNames.CHES) > distinct.get(0).get(MetricNames.CHES),
                sFirst.get(MetricNames.CHES) + " vs " + distinct.get(0).get(MetricNames.CHES));
        // the over-optimisation indicators are in range and move as the policy sharpens
        for (Map<String, Double> v : distinct) {
            assertTrue(v.get(MetricNames.TOPK_MASS) > 0 && v.get(MetricNames.TOPK_MASS) <= 1);
            assertTrue(
                    v.get(MetricNames.TOPK_ENTROPY) >= 0
                            && v.get(MetricNames.TOPK_ENTROPY) <= Math.log(10) + 1e-6);
        }
        assertTrue(
                dLast.get(MetricNames.TOPK_ENTROPY)
                        < distinct.get(0).get(MetricNames.TOPK_ENTROPY));
    }
}
