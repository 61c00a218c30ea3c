package dev.reward4j.trainers.step;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reward4j.core.data.DataPosition;
import dev.reward4j.core.data.PairBatch;
import dev.reward4j.core.model.DecoderModel;
import dev.reward4j.core.model.ModelHead;
import dev.reward4j.core.model.ModelOptions;
import dev.reward4j.core.testing.Fixtures;
import dev.reward4j.losses.RewardModelObjective;
import dev.reward4j.trainers.checkpoint.TrainerState;
import dev.reward4j.trainers.loop.BatchSource;
import dev.reward4j.trainers.loop.LoopOptions;
import dev.reward4j.trainers.loop.LoopParts;
import dev.reward4j.trainers.loop.LoopResult;
import dev.reward4j.trainers.loop.StepContext;
import dev.reward4j.trainers.loop.TrainLoop;
import dev.reward4j.trainers.optim.AdamW;
import dev.reward4j.trainers.optim.AdamWConfig;
import dev.reward4j.trainers.optim.DecayRule;
import dev.reward4j.trainers.optim.GlobalNormClip;
import dev.reward4j.trainers.optim.Gradients;
import dev.reward4j.trainers.optim.LossScaler;
import dev.reward4j.trainers.optim.LrSchedule;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * One Bradley-Terry + AdamW step on the llama-rm fixture through the real loop reproduces torch
 * (train-step-cases.json: transformers 5.17, torch 2.11, AdamW lr 1e-3, betas (0.9, 0.999), eps
 * 1e-8, wd 0.01 on all parameters, no clipping).
 */
class TrainStepParityTest {
    static final double TOL = 1e-5;

    static PairBatch batch(JsonNode c, NDManager m) {
        long[][] ids = new long[4][];
        long[][] mask = new long[4][];
        String[] idKeys = {"chosen_input_ids", "rejected_input_ids"};
        String[] maskKeys = {"chosen_attention_mask", "rejected_attention_mask"};
        int t = c.get(idKeys[0]).get(0).size();
        long[] flatIds = new long[4 * t];
        long[] flatMask = new long[4 * t];
        long[] last = new long[4];
        for (int half = 0; half < 2; half++) {
            for (int i = 0; i < 2; i++) {
                int row = half * 2 + i;
                for (int j = 0; j < t; j++) {
                    flatIds[row * t + j] = c.get(idKeys[half]).get(i).get(j).asLong();
                    flatMask[row * t + j] = c.get(maskKeys[half]).get(i).get(j).asLong();
                    if (flatMask[row * t + j] == 1) {
                        last[row] = j;
                    }
                }
            }
        }
        long real = java.util.Arrays.stream(flatMask).sum();
        return new PairBatch(
                m.create(flatIds, new Shape(4, t)),
                m.create(flatMask, new Shape(4, t)),
                m.create(last),
                m.zeros(new Shape(4, t), DataType.FLOAT32),
                null,
                m.ones(new Shape(2)),
                List.of("case-0", "case-1"),
                real);
    }

    @Nested
    class LlamaRm {
        @Test
        void oneStepMatchesTorchWithinTolerance() throws IOException {
            JsonNode c = new ObjectMapper().readTree(Fixtures.hf("train-step-cases.json").toFile());
            try (DecoderModel model =
                    DecoderModel.load(
                            Fixtures.hf("llama-rm"), ModelHead.REWARD, ModelOptions.defaults())) {
                model.setTrainable(true);
                RewardPairsStep objective =
                        new RewardPairsStep(model, RewardModelObjective.BradleyTerry.defaults());
                BatchSource<PairBatch> source =
                        new BatchSource<>() {
                            @Override
                            public PairBatch next(NDManager m) {
                                return batch(c, m);
                            }

                            @Override
                            public DataPosition position() {
                                return DataPosition.start();
                            }

                            @Override
                            public void seek(DataPosition p) {}
                        };
                AdamWConfig cfg = new AdamWConfig(0.9, 0.999, 1e-8, 0.01, DecayRule.all());
                try (AdamW optimizer = new AdamW(model.parameters(), cfg, model.manager())) {
                    LoopResult s =
                            new TrainLoop<>(
                                            new LoopParts<>(
                                                    model.manager(),
                                                    objective,
                                                    source,
                                                    optimizer,
                                                    new LrSchedule.Constant(1e-3, 0),
                                                    GlobalNormClip.none(),
                                                    LossScaler.none(),
                                                    (phase, step, values) -> {},
                                                    null,
                                                    null,
                                                    LoopOptions.defaults().withMaxSteps(1),
                                                    new TrainerState(0, 0, 0, 0, null, 0)))
                                    .run();
                    double lossBefore = s.lastTrain().get("loss");
                    double gradNorm = s.lastTrain().get("grad_norm");
                    double lossAfter;
                    float[] chosenAfter;
                    float[] rejectedAfter;
                    try (NDManager m = model.manager().newSubManager();
                            PairBatch b = batch(c, m)) {
                        var r =
                                Gradients.withGradModeOff(
                                        () ->
                                                objective.compute(
                                                        b, new StepContext(2, 0, 1, m, false)));
                        lossAfter = r.loss().getFloat() / r.units();
                        NDArray rewards = model.scores(b.inputIds(), b.attentionMask());
                        chosenAfter = rewards.get("0:2, 0").toFloatArray();
                        rejectedAfter = rewards.get("2:, 0").toFloatArray();
                    }
                    Map<String, NDArray> p = model.parameters();
                    float[] score = p.get("score.weight").toFloatArray();
                    float[] q = p.get("model.layers.0.self_attn.q_proj.weight").toFloatArray();
                    double maxWeightErr = 0;
                    for (int i = 0; i < 8; i++) {
                        maxWeightErr =
                                Math.max(
                                        maxWeightErr,
                                        Math.abs(
                                                score[i]
                                                        - c.get("score.weight_after_first8")
                                                                .get(i)
                                                                .asDouble()));
                        maxWeightErr =
                                Math.max(
                                        maxWeightErr,
                                        Math.abs(
                                                q[i]
                                                        - c.get("layer0_q_proj_after_first8")
                                                                .get(i)
                                                                .asDouble()));
                    }
                    System.out.printf(
                            "train-step parity: |loss_before| %.3g, |grad_norm| %.3g, |loss_after|"
                                    + " %.3g, max |weight| %.3g%n",
                            Math.abs(lossBefore - c.get("loss_before").asDouble()),
                            Math.abs(gradNorm - c.get("grad_norm_before_step").asDouble()),
                            Math.abs(lossAfter - c.get("loss_after_one_step").asDouble()),
                            maxWeightErr);
                    assertEquals(c.get("loss_before").asDouble(), lossBefore, TOL, "loss before");
                    assertEquals(
                            c.get("grad_norm_before_step").asDouble(), gradNorm, TOL, "grad norm");
                    assertEquals(
                            c.get("loss_after_one_step").asDouble(), lossAfter, TOL, "loss after");
                    for (int i = 0; i < 2; i++) {
                        assertEquals(
                                c.get("rewards_chosen_after").get(i).asDouble(),
                                chosenAfter[i],
                                TOL,
                                "chosen reward " + i);
                        assertEquals(
                                c.get("rewards_rejected_after").get(i).asDouble(),
                                rejectedAfter[i],
                                TOL,
                                "rejected reward " + i);
                    }
                    assertEquals(0, maxWeightErr, TOL, "listed weights");
                }
            }
        }
    }
}
